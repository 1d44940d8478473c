/**
 * Reading the dates spreadsheets write: ISO 8601 with or without a zone, "2026-11-25 10:00:00",
 * "2026-11-20", European "25.11.2026 10:00", Unix seconds, and day/month-ambiguous slash dates
 * only when the order is given. A time without a zone is read in the import's time zone (UTC unless
 * `--timezone` names another); a date without a time is midnight there.
 */

/** Which number comes first in a slash date such as 03/04/2026. */
export type DateOrder = 'dmy' | 'mdy';

/** How to read dates that do not say everything themselves. */
export interface DateReading {
  /** IANA time zone for times without a zone, e.g. "Europe/Riga". */
  timeZone: string;
  /** Order of slash dates; without it they are refused, never guessed. */
  dateOrder?: DateOrder;
}

/** A date read from a cell: the instant in ISO 8601 (UTC), or why it cannot be read. */
export type SpreadsheetDate =
  /** `wallClock`: the clock time as written ("2026-03-05T14:00:00.000"), when it had no zone and was read in `timeZone`. */
  | { kind: 'date'; iso: string; wallClock?: string }
  | { kind: 'invalid'; reason: string };

/** Whether Node knows `timeZone` (an IANA name such as "Europe/Riga", or "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone` is ahead of UTC at the instant `utcMs`, in milliseconds. */
function zoneOffset(utcMs: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((part) => [part.type, Number(part.value)]));
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/** The instant at which clocks in `timeZone` show `wallMs` (a wall-clock time written as if UTC). */
function fromWallClock(wallMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return wallMs;
  let utc = wallMs - zoneOffset(wallMs, timeZone);
  // Near a daylight-saving change the offset at the first estimate can differ: settle it.
  const offset = zoneOffset(utc, timeZone);
  if (wallMs - offset !== utc) utc = wallMs - offset;
  return utc;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  fraction?: string;
  zone?: string;
}

/** Milliseconds since the epoch of the parts as a UTC wall clock, or null if no such date. */
function wallClock(parts: Parts): number | null {
  const { year, month, day, hour = 0, minute = 0, second = 0 } = parts;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const milliseconds = parts.fraction ? Math.round(Number(`0.${parts.fraction}`) * 1000) : 0;
  const value = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
  // Date.UTC rolls 31.02 over into March; a real date survives the round trip.
  const check = new Date(value);
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? value : null;
}

/** Offset of a zone written as "Z", "+02", "+0200" or "+02:00", in milliseconds. */
function zoneMilliseconds(zone: string): number {
  if (/^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const [, sign, hours, minutes = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
}

const time = String.raw`(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?`;
// "2026-11-25 10:00:00 UTC" and "… GMT" are how some survey tools write UTC in their exports.
const isoPattern = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})${time}\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$`, 'i');
// 25.11.2026, 25.11.2026 10:00, and "25.11.2026 г." as Russian and Bulgarian settings write it.
const dottedPattern = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?${time}$`, 'i');
const slashPattern = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${time}\s*([AP]M)?$`, 'i');

const numberOr = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** Reads one date cell; `column` names the column in messages. */
export function readSpreadsheetDate(value: string, reading: DateReading, column = 'date'): SpreadsheetDate {
  const text = value.trim();
  const example = 'write it as 2026-11-25 10:00 or 2026-11-25T10:00:00Z';
  let parts: Parts | null = null;

  const iso = isoPattern.exec(text);
  const dotted = dottedPattern.exec(text);
  const slash = slashPattern.exec(text);
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction, zone] = iso;
    parts = { year: Number(year), month: Number(month), day: Number(day), hour: numberOr(hour), minute: numberOr(minute), second: numberOr(second), fraction, zone };
  } else if (dotted) {
    const [, day, month, year, hour, minute, second, fraction] = dotted;
    parts = { year: Number(year), month: Number(month), day: Number(day), hour: numberOr(hour), minute: numberOr(minute), second: numberOr(second), fraction };
  } else if (slash) {
    const [, first, second, year, hour, minute, seconds, fraction, meridiem] = slash;
    if (!reading.dateOrder) {
      return { kind: 'invalid', reason: `${column} "${text}" could be day/month or month/day: add --date-order mdy (month first, as in the US) or --date-order dmy, or write it as 2026-11-25` };
    }
    const [month, day] = reading.dateOrder === 'mdy' ? [first, second] : [second, first];
    let hours = numberOr(hour);
    if (meridiem && hours !== undefined) {
      if (hours < 1 || hours > 12) return { kind: 'invalid', reason: `${column} "${text}" is not a date: ${example}` };
      hours = (hours % 12) + (meridiem.toUpperCase() === 'PM' ? 12 : 0);
    }
    parts = { year: Number(year), month: Number(month), day: Number(day), hour: hours, minute: numberOr(minute), second: numberOr(seconds), fraction };
  } else if (/^\d{10}$/.test(text)) {
    // Seconds since 1970 (UTC), as survey tools' APIs and some of their exports give created_at.
    return { kind: 'date', iso: new Date(Number(text) * 1000).toISOString() };
  } else if (/^\d{5}([.,]\d+)?$/.test(text)) {
    return { kind: 'invalid', reason: `${column} "${text}" is a spreadsheet serial number, not a date: format the column as a date before saving` };
  }
  const wall = parts ? wallClock(parts) : null;
  if (!parts || wall === null) return { kind: 'invalid', reason: `${column} "${text}" is not a date: ${example}` };
  if (parts.zone) return { kind: 'date', iso: new Date(wall - zoneMilliseconds(parts.zone)).toISOString() };
  return { kind: 'date', iso: new Date(fromWallClock(wall, reading.timeZone)).toISOString(), wallClock: new Date(wall).toISOString().slice(0, -1) };
}
