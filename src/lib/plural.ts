// Every sentence that puts a number before a noun goes through here, so that no page or command
// says "1 rows" in English or "21 дней" in Russian.

/**
 * A text for each plural category a language uses (CLDR: one, few, many, …), with `{count}` where
 * the number goes. `other` is required: every language has it, and it is the fallback.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rulesByLocale = new Map<string, Intl.PluralRules>();

/** The plural category of `count` in a language ("one", "few", "many", "other", …). */
export function pluralCategory(locale: string, count: number): Intl.LDMLPluralRule {
  let rules = rulesByLocale.get(locale);
  if (!rules) rulesByLocale.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(count);
}

/** The form of `forms` that the language's grammar wants for `count`. */
export function pluralForm(locale: string, count: number, forms: PluralForms): string {
  return forms[pluralCategory(locale, count)] ?? forms.other;
}

/** The form of `forms` for `count`, with `{count}` filled in. */
export function pluralize(locale: string, count: number, forms: PluralForms): string {
  return pluralForm(locale, count, forms).replaceAll('{count}', String(count));
}

/**
 * English command-line and admin text: "1 row", "2 rows", "0 rows"; `plural` for nouns that do
 * not just add an s ("1 batch", "2 batches").
 */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return pluralize('en', count, { one: `{count} ${singular}`, other: `{count} ${plural}` });
}
