// Dates inside sentences of the catalogs. Intl writes a date as it stands alone; in a sentence
// Latvian declines the month ("līdz 21. decembrim", "21. decembrī"), while Polish, Russian and
// Ukrainian already get the genitive month they need ("do 21 grudnia", "до 21 декабря") and English
// and Bulgarian have no case to mind.

/** Where a date stands: after "until" (Latvian: dative) or as the day something happened (Latvian: locative). */
export type DateRole = 'until' | 'on';

/** Latvian months, January first, in the cases a sentence needs (Intl gives the nominative). */
const latvianMonths: Record<DateRole, readonly string[]> = {
  until: ['janvārim', 'februārim', 'martam', 'aprīlim', 'maijam', 'jūnijam', 'jūlijam', 'augustam', 'septembrim', 'oktobrim', 'novembrim', 'decembrim'],
  on: ['janvārī', 'februārī', 'martā', 'aprīlī', 'maijā', 'jūnijā', 'jūlijā', 'augustā', 'septembrī', 'oktobrī', 'novembrī', 'decembrī'],
};

/**
 * A day (UTC) as a sentence of `locale` writes it in `role`: "December 21, 2026", "21 grudnia
 * 2026", "2026. gada 21. decembrim". A final abbreviation dot ("2026 г.") is left off: the
 * catalogs end such sentences with the date, and their full stop is that dot.
 */
export function formatDateInSentence(locale: string, date: Date, role: DateRole): string {
  const parts = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).formatToParts(date);
  const declined = locale === 'lv' ? latvianMonths[role][date.getUTCMonth()]! : null;
  return parts
    .map((part) => (part.type === 'month' && declined ? declined : part.value))
    .join('')
    .replace(/\.$/, '');
}
