import { normalizeLocale, type Locale } from '../locales.ts';

/** Subjects of a moderator's reply, in the customer's language. */
const replySubjects: Record<Locale, { review: string; feedback: string }> = {
  en: { review: 'Re: your review of {item}', feedback: 'Re: your feedback on {business}' },
  pl: { review: 'Re: Twoja opinia o {item}', feedback: 'Re: Twoja ocena {business}' },
  ru: { review: 'Re: ваш отзыв о {item}', feedback: 'Re: ваша оценка {business}' },
  uk: { review: 'Re: ваш відгук про {item}', feedback: 'Re: ваша оцінка {business}' },
  lv: { review: 'Re: jūsu atsauksme par {item}', feedback: 'Re: jūsu vērtējums par {business}' },
  bg: { review: 'Re: вашият отзив за {item}', feedback: 'Re: вашата оценка за {business}' },
};

/** The subject of a reply to a review or to an NPS answer, in the customer's language (English when unknown). */
export function replySubject(kind: 'review' | 'feedback', locale: string, names: { item: string; business: string }): string {
  const template = replySubjects[normalizeLocale(locale, 'en')][kind];
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
