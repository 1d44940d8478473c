import { messagesFor } from '../i18n/index.ts';
import { normalizeLocale } from '../locales.ts';

/** The subject of a reply to a review or to an NPS answer, in the customer's language (English when unknown). */
export function replySubject(kind: 'review' | 'feedback', locale: string, names: { item: string; business: string }): string {
  const template = messagesFor(normalizeLocale(locale, 'en')).adminReply[kind];
  return template.replace('{item}', names.item).replace('{business}', names.business);
}

/**
 * A mailto: link that opens the moderator's mail client with the customer's address and a
 * subject. Both are percent-encoded, so no character in either can add headers or recipients.
 */
export function replyMailto(email: string, subject: string): string {
  const address = encodeURIComponent(email).replace(/%40/g, '@');
  return `mailto:${address}?subject=${encodeURIComponent(subject)}`;
}
