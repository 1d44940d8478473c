import { bg } from './bg.ts';
import { en } from './en.ts';
import { lv } from './lv.ts';
import type { Messages } from './messages.ts';
import { pluralForm, type PluralForms } from '../plural.ts';
import { pl } from './pl.ts';
import { ru } from './ru.ts';
import { uk } from './uk.ts';

/**
 * Every language the site speaks: its code (ISO 639-1, lower case) and its catalog. This object
 * is the list of supported languages (src/lib/locales.ts reads it), in the order the language
 * switcher shows them. To add a language, copy en.ts to CODE.ts, translate it, and add it here.
 */
export const catalogs = { en, pl, ru, uk, lv, bg } satisfies Record<string, Messages>;

/** Every text in one language, by feature (`messagesFor('pl').reviewForm.submit`). */
export function messagesFor(locale: keyof typeof catalogs): Messages {
  return catalogs[locale];
}

/** Replaces each `{name}` in a text with its value. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
}

/** `fill` for a text that may have plural forms: the form `count` takes in `locale`. */
export function fillCounted(locale: string, text: string | PluralForms, count: number, values: Record<string, string | number>): string {
  return fill(typeof text === 'string' ? text : pluralForm(locale, count, text), values);
}
