import { fill } from './i18n/index.ts';

/** Every email a business may reword, per locale, in review-wall.config.ts (`emails`). */
export const emailKinds = ['survey', 'surveyReminder', 'invitation', 'invitationReminder', 'incentive'] as const;
/** One of `emailKinds`. */
export type EmailKind = (typeof emailKinds)[number];

/**
 * The values each email fills in, by placeholder. `{greeting}` is the language's own "Hello
 * {name}," (or "Hello," without a name), so a text need not deal with a missing name.
 */
export const emailPlaceholders: Record<EmailKind, readonly string[]> = {
  survey: ['business', 'name', 'greeting', 'date'],
  surveyReminder: ['business', 'name', 'greeting', 'date'],
  invitation: ['business', 'name', 'greeting', 'incentive', 'date'],
  invitationReminder: ['business', 'name', 'greeting', 'incentive', 'date'],
  incentive: ['business', 'name', 'greeting', 'incentive', 'code'],
};

/**
 * What a business's `body` replaces: the email's opening text. The parts the law or the product
 * needs stay as they are in every language (the score buttons, the incentive promise and its
 * independence line, the personal-link note, the footer and the unsubscribe link).
 */
export const emailBodyReplaces: Record<EmailKind, string> = {
  survey: 'the greeting, the question and how to answer, above the 0–10 buttons',
  surveyReminder: 'the greeting, the reminder line, the question and how to answer, above the 0–10 buttons',
  invitation: 'the greeting, the thanks and the request, above the incentive promise and the button',
  invitationReminder: 'the greeting, the reminder line and the request, above the incentive promise and the button',
  incentive: 'the greeting and the thanks, above the gift code and the line saying it did not depend on the review',
};

/** A business's own subject and body for one email in one language. */
export interface EmailWording {
  subject?: string | undefined;
  body?: string | undefined;
}

/** The placeholders in `text` that `kind` does not fill, each once, in order. */
export function unknownPlaceholders(kind: EmailKind, text: string): string[] {
  const allowed = emailPlaceholders[kind];
  const names = [...text.matchAll(/\{(\w*)\}/g)].map((match) => match[1]!);
  return [...new Set(names.filter((name) => !allowed.includes(name)))];
}

/** The configured wording of `kind` in `locale`, or nothing (the default text). */
export function wordingFor(emails: Partial<Record<EmailKind, Record<string, EmailWording>>> | undefined, kind: EmailKind, locale: string): EmailWording {
  return emails?.[kind]?.[locale] ?? {};
}

/** A configured body as paragraphs (split at blank lines), its placeholders filled. */
export function bodyParagraphs(body: string, values: Record<string, string | number>): string[] {
  return body
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => fill(paragraph.trim(), values))
    .filter((paragraph) => paragraph.length > 0);
}
