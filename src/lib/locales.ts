/** The languages the form, the emails and the wall speak. */
export const supportedLocales = ['en', 'pl', 'ru', 'uk', 'lv', 'bg'] as const;

/** One of the supported locale codes. */
export type Locale = (typeof supportedLocales)[number];

/** Each locale's own name, for the language switcher. */
export const localeNames: Record<Locale, string> = {
  en: 'English',
  pl: 'Polski',
  ru: 'Русский',
  uk: 'Українська',
  lv: 'Latviešu',
  bg: 'Български',
};

/** Whether a string is one of the supported locale codes. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (supportedLocales as readonly string[]).includes(value);
}

/** Maps a loose locale tag ("pl-PL", "UK", "") to a supported locale, or the fallback. */
export function normalizeLocale(tag: string | null | undefined, fallback: Locale): Locale {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(base) ? base : fallback;
}
