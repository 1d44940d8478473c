import { describe, expect, it } from 'vitest';
import { isTimeZone, readSpreadsheetDate } from '../../../src/lib/listen/spreadsheet-dates.ts';

const utc = { timeZone: 'UTC' };
const riga = { timeZone: 'Europe/Riga' };
const iso = (value: string, reading: Parameters<typeof readSpreadsheetDate>[1] = utc) => {
  const date = readSpreadsheetDate(value, reading, 'Date');
  return date.kind === 'date' ? date.iso : date.reason;
};

describe('readSpreadsheetDate', () => {
  it.each([
    ['2026-11-25T10:00:00Z', '2026-11-25T10:00:00.000Z'],
    ['2026-11-25 10:00:00', '2026-11-25T10:00:00.000Z'],
    ['2026-11-25 10:00', '2026-11-25T10:00:00.000Z'],
    ['2026-11-25 9:05', '2026-11-25T09:05:00.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
    ['2026-11-25T10:00:00.250+02:00', '2026-11-25T08:00:00.250Z'],
    ['2026-11-25 10:00:00 UTC', '2026-11-25T10:00:00.000Z'],
    ['25.11.2026 10:00', '2026-11-25T10:00:00.000Z'],
    ['5.6.2026 г. 14:33', '2026-06-05T14:33:00.000Z'],
    ['25.11.2026 г.', '2026-11-25T00:00:00.000Z'],
    ['  2026-11-20  ', '2026-11-20T00:00:00.000Z'],
    ['1781957700', '2026-06-20T12:15:00.000Z'],
  ])('reads %j in UTC as %s', (value, expected) => {
    expect(iso(value)).toBe(expected);
  });

  it('reads times without a zone in the time zone given, with its summer and winter offsets', () => {
    expect(iso('2026-07-01 12:00', riga)).toBe('2026-07-01T09:00:00.000Z');
    expect(iso('2026-01-15 12:00', riga)).toBe('2026-01-15T10:00:00.000Z');
    expect(iso('2026-10-25 12:00', riga)).toBe('2026-10-25T10:00:00.000Z'); // the day summer time ends
    expect(iso('2026-11-20', riga)).toBe('2026-11-19T22:00:00.000Z');
    expect(iso('2026-07-01T12:00:00Z', riga)).toBe('2026-07-01T12:00:00.000Z');
  });

  it('keeps the clock time as written when it had no zone, the same whatever the zone and the date format', () => {
    const clock = (value: string, reading: Parameters<typeof readSpreadsheetDate>[1]) => {
      const date = readSpreadsheetDate(value, reading);
      return date.kind === 'date' ? date.wallClock : date.reason;
    };
    expect(clock('2026-07-01 12:00', riga)).toBe('2026-07-01T12:00:00.000');
    expect(clock('2026-07-01 12:00', utc)).toBe('2026-07-01T12:00:00.000');
    expect(clock('01.07.2026 12:00', riga)).toBe('2026-07-01T12:00:00.000');
    expect(clock('07/01/2026 12:00 PM', { ...utc, dateOrder: 'mdy' })).toBe('2026-07-01T12:00:00.000');
    expect(clock('2026-07-01T12:00:00+02:00', riga)).toBeUndefined();
    expect(clock('1781957700', riga)).toBeUndefined();
  });

  it('reads slash dates only in the order given', () => {
    expect(iso('03/04/2026')).toBe('Date "03/04/2026" could be day/month or month/day: add --date-order mdy (month first, as in the US) or --date-order dmy, or write it as 2026-11-25');
    expect(iso('03/04/2026', { ...utc, dateOrder: 'dmy' })).toBe('2026-04-03T00:00:00.000Z');
    expect(iso('03/04/2026 2:30 PM', { ...utc, dateOrder: 'mdy' })).toBe('2026-03-04T14:30:00.000Z');
    expect(iso('11/25/2026 12:05 AM', { ...utc, dateOrder: 'mdy' })).toBe('2026-11-25T00:05:00.000Z');
  });

  it.each([
    ['31.02.2026', 'Date "31.02.2026" is not a date: write it as 2026-11-25 10:00 or 2026-11-25T10:00:00Z'],
    ['2026-13-01', 'Date "2026-13-01" is not a date: write it as 2026-11-25 10:00 or 2026-11-25T10:00:00Z'],
    ['yesterday', 'Date "yesterday" is not a date: write it as 2026-11-25 10:00 or 2026-11-25T10:00:00Z'],
    ['46000', 'Date "46000" is a spreadsheet serial number, not a date: format the column as a date before saving'],
  ])('refuses %j with a reason', (value, reason) => {
    expect(iso(value)).toBe(reason);
  });

  it('knows IANA time zones', () => {
    expect(isTimeZone('Europe/Riga')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Riga')).toBe(false);
  });
});
