import { catalogs } from './i18n/index.ts';

/** One of the supported locale codes: a language with a catalog in src/lib/i18n/. */
export type Locale = keyof typeof catalogs;

/** The languages the form, the emails and the wall speak, in the order of src/lib/i18n/index.ts. */
export const supportedLocales = Object.keys(catalogs) as readonly string[] as readonly [Locale, ...Locale[]];

/** Each locale's own name, for the language switcher. */
export const localeNames = Object.fromEntries(supportedLocales.map((locale) => [locale, catalogs[locale].languageName])) as Record<Locale, string>;

/** Whether a string is one of the supported locale codes. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (supportedLocales as readonly string[]).includes(value);
}

/** Maps a loose locale tag ("pl-PL", "UK", "") to a supported locale, or the fallback. */
export function normalizeLocale(tag: string | null | undefined, fallback: Locale): Locale {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(base) ? base : fallback;
}

/**
 * The first of the browser's preferred languages (an Accept-Language header, by its q-values)
 * that is among `enabled`, or null. Used where nothing else says who is reading, such as a
 * link that is not valid.
 */
export function preferredLocale(acceptLanguage: string | null | undefined, enabled: readonly Locale[]): Locale | null {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const quality = parameters.map((parameter) => /^\s*q=([0-9.]+)\s*$/.exec(parameter)?.[1]).find(Boolean);
      return { tag, quality: quality === undefined ? 1 : Number(quality), index };
    })
    .filter((entry) => entry.tag && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (isLocale(base) && enabled.includes(base)) return base;
  }
  return null;
}

/**
 * The language of a page: the first of `choices` (what the reader picked, then what is known
 * about them, most specific first) that is an enabled locale; else the browser's preferred enabled
 * language; else `fallback`.
 */
export function chooseLocale(
  choices: readonly unknown[],
  options: { acceptLanguage: string | null | undefined; enabled: readonly Locale[]; fallback: Locale },
): Locale {
  const chosen = choices.find((choice): choice is Locale => isLocale(choice) && options.enabled.includes(choice));
  return chosen ?? preferredLocale(options.acceptLanguage, options.enabled) ?? options.fallback;
}
