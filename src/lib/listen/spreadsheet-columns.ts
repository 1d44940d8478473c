import { supportedLocales } from '../locales.ts';
import { unguardFormula } from '../spreadsheet-formulas.ts';

/**
 * Which column of a spreadsheet export holds what. Header names are matched ignoring case,
 * spaces and punctuation ("Email Address", "E-mail", "created_at", "Submitted at"), in English
 * and in the languages we serve ("E-pasts", "Data", "Оценка").
 *
 * Names of survey tools' exports: their CSV headers could not be looked up here, so these are
 * best knowledge from their documented fields: Delighted's API survey responses (score, comment,
 * created_at, the person's email and name; delighted.com/docs/api/listing-survey-responses),
 * Nicereply's ratings (score, comment, created_at, and a "Legacy Score" column in exports that
 * must not be read as the score; support.nicereply.com/article/389-removing-legacy-score) and
 * LiveAgent's agents' ratings report (customer, rating, comment;
 * support.liveagent.com/001358-Agents-ratings-report-section).
 */
const columnNames = {
  email: [
    'email', 'emailaddress', 'mail', 'customeremail', 'customeremailaddress', 'personemail', 'contactemail', 'respondentemail', 'useremail', 'clientemail', 'requesteremail', 'recipientemail',
    // pl, lv, ru, uk, bg
    'adresemail', 'epasts', 'epastaadrese', 'электроннаяпочта', 'элпочта', 'почта', 'електроннапошта', 'елпошта', 'пошта', 'имейл', 'електроннапоща',
  ],
  name: [
    'name', 'fullname', 'customername', 'personname', 'contactname', 'respondentname', 'clientname', 'requestername', 'recipientname',
    'imięinazwisko', 'nazwa', 'vārdsuzvārds', 'фио', 'піб', 'имеифамилия', 'имяифамилия', 'імяіпрізвище',
  ],
  firstName: ['firstname', 'givenname', 'forename', 'imię', 'vārds', 'имя', 'імя', 'име'],
  lastName: ['lastname', 'surname', 'familyname', 'nazwisko', 'uzvārds', 'фамилия', 'прізвище'],
  locale: ['locale', 'language', 'lang', 'languagecode', 'localecode', 'customerlanguage', 'customerlocale', 'personlocale', 'język', 'valoda', 'язык', 'мова', 'език'],
  score: ['score', 'rating', 'nps', 'npsscore', 'npsrating', 'npsvalue', 'likelihoodtorecommend', 'ocena', 'vērtējums', 'оценка', 'оцінка'],
  comment: [
    'comment', 'comments', 'feedback', 'feedbacktext', 'commenttext', 'reason', 'customercomment', 'ratingcomment',
    'komentarz', 'komentārs', 'комментарий', 'коментар', 'отзыв', 'відгук',
  ],
  responded_at: [
    'respondedat', 'date', 'datetime', 'timestamp', 'createdat', 'created', 'datecreated', 'creationdate', 'submittedat', 'submitted', 'datesubmitted',
    'submissiondate', 'responsedate', 'responsetimestamp', 'responsetime', 'respondedon', 'answeredat', 'ratedat', 'ratingdate', 'surveydate',
    'data', 'datums', 'дата',
  ],
  segment: [
    'segment', 'customersegment', 'region', 'plan', 'team', 'tier', 'pricingplan', 'subscriptionplan',
    'segments', 'reģions', 'komanda', 'zespół', 'сегмент', 'регион', 'регіон', 'тариф', 'команда', 'екип',
  ],
} as const;

/** A field the import reads. */
export type CsvField = keyof typeof columnNames;

/** `Email Address` → `emailaddress`: what header names are compared by. */
function normalizeHeader(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const fieldOfName = new Map<string, CsvField>(
  (Object.entries(columnNames) as [CsvField, readonly string[]][]).flatMap(([field, names]) => names.map((name) => [name, field] as const)),
);

/** How a header row maps to the fields read, and the columns left unread. */
export type CsvColumns =
  | { kind: 'columns'; indexOf: Partial<Record<CsvField, number>>; header: string[]; ignored: string[] }
  | { kind: 'no-email'; header: string[] };

/**
 * Maps a header row to the fields read. When two columns name the same field, the one named
 * exactly as the field (`email`, `responded_at`) wins, else the leftmost; the other is ignored
 * and listed, like every column that is not read, so that nothing is dropped without a word.
 */
export function mapCsvColumns(header: string[]): CsvColumns {
  const indexOf: Partial<Record<CsvField, number>> = {};
  const exact = new Set<CsvField>();
  const ignored: number[] = [];
  header.forEach((name, index) => {
    const normalized = normalizeHeader(name);
    const field = fieldOfName.get(normalized);
    if (!field) {
      ignored.push(index);
      return;
    }
    const isExact = normalized === normalizeHeader(field);
    const taken = indexOf[field];
    if (taken === undefined) {
      indexOf[field] = index;
      if (isExact) exact.add(field);
    } else if (isExact && !exact.has(field)) {
      ignored.push(taken);
      indexOf[field] = index;
      exact.add(field);
    } else {
      ignored.push(index);
    }
  });
  if (indexOf.email === undefined) return { kind: 'no-email', header };
  const describe = (index: number) => (header[index]!.trim() ? `"${header[index]!.trim()}"` : `column ${index + 1} (no name)`);
  return { kind: 'columns', indexOf, header, ignored: ignored.sort((a, b) => a - b).map(describe) };
}

/** Language names as spreadsheets write them (English and native), by locale code. */
const localeOfLanguage: Record<string, (typeof supportedLocales)[number]> = {
  english: 'en', polish: 'pl', polski: 'pl', russian: 'ru', русский: 'ru', ukrainian: 'uk', українська: 'uk',
  latvian: 'lv', latviešu: 'lv', latviesu: 'lv', bulgarian: 'bg', български: 'bg',
};

/** A locale cell as a locale code when it names a language ("Latvian", "polski"), else as written. */
export function localeFromCell(value: string): string {
  return localeOfLanguage[value.trim().toLowerCase()] ?? value;
}

/** The cells of one row as the fields read, names joined from first and last name when needed. */
export function readCsvFields(fields: string[], indexOf: Partial<Record<CsvField, number>>): Partial<Record<Exclude<CsvField, 'firstName' | 'lastName'>, string>> {
  // A cell an export of ours guarded against spreadsheet formulas reads as what was written.
  const cell = (field: CsvField) => {
    const index = indexOf[field];
    const value = index === undefined ? undefined : fields[index];
    return value === undefined ? undefined : unguardFormula(value);
  };
  const fullName = [cell('firstName'), cell('lastName')].map((part) => part?.trim()).filter(Boolean).join(' ');
  const locale = cell('locale');
  return {
    email: cell('email'),
    name: indexOf.name !== undefined ? cell('name') : fullName || undefined,
    locale: locale === undefined ? undefined : localeFromCell(locale),
    score: cell('score'),
    comment: cell('comment'),
    responded_at: cell('responded_at'),
    segment: cell('segment'),
  };
}
