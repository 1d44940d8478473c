import { describe, expect, it } from 'vitest';
import { messagesFor } from '../../../src/lib/i18n/index.ts';
import { getConfig, incentiveTextFor } from '../../../src/lib/config.ts';
import { supportedLocales } from '../../../src/lib/locales.ts';
import { buildInvitationEmail } from '../../../src/lib/server/ask/invitations.ts';

const config = getConfig();
const token = 'abcdefghijklmnopqrstuvwxyz234567';

describe.each(supportedLocales)('the invitation email in %s', (locale) => {
  const message = buildInvitationEmail(config, {
    requestId: 7,
    contactId: 3,
    to: 'customer@example.com',
    name: 'Olena',
    locale,
    siteUrl: 'https://reviews.example',
    token,
    expiresAt: new Date('2026-12-22T10:00:00Z'),
  });

  it('promises the incentive in its language whatever the review says, and links the form and the unsubscribe page', () => {
    const t = messagesFor(locale).inviteEmail;
    for (const part of [message.text, message.html]) {
      expect(part).toContain(incentiveTextFor(config, locale));
      expect(part).toContain('https://reviews.example/r/abcdefghijklmnopqrstuvwxyz234567');
      expect(part).toContain('https://reviews.example/r/abcdefghijklmnopqrstuvwxyz234567/unsubscribe');
      expect(part).toContain(t.unsubscribe);
      expect(part).toContain(config.business.name);
      expect(part).toContain('Olena');
      // Every placeholder was filled.
      expect(part).not.toMatch(/\{[a-z]+\}/);
    }
    expect(message.html).toContain(`<html lang="${locale}">`);
    expect(message.subject).toContain(config.business.name);
    expect(message.idempotencyKey).toBe('invite:7');
    expect(message.headers).toEqual({
      'List-Unsubscribe': '<https://reviews.example/r/abcdefghijklmnopqrstuvwxyz234567/unsubscribe>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    // A date ending in an abbreviation ("р.", "г.") does not end the sentence twice.
    expect(message.text).not.toContain('..');
  });

  it('has every text of the unsubscribe page', () => {
    const page = messagesFor(locale).unsubscribePage;
    for (const text of Object.values(page)) expect(text.trim().length).toBeGreaterThan(0);
  });
});

it('greets without a name when the contact has none', () => {
  const message = buildInvitationEmail(config, {
    requestId: 1,
    contactId: 1,
    to: 'x@example.com',
    name: null,
    locale: 'en',
    siteUrl: 'https://reviews.example',
    token,
    expiresAt: new Date('2026-12-22T10:00:00Z'),
  });
  expect(message.text.startsWith('Hello,\n')).toBe(true);
  expect(message.text).toContain('It works until December 22, 2026.');
});

it.each([
  ['en', 'It works until December 22, 2026.'],
  ['pl', 'Jest ważny do 22 grudnia 2026.'],
  ['ru', 'Она действует до 22 декабря 2026\u202fг.'],
  ['uk', 'Воно дійсне до 22 грудня 2026\u202fр.'],
  // "līdz" takes the dative: "decembrim", not the nominative "decembris" Intl writes.
  ['lv', 'Tā ir derīga līdz 2026. gada 22. decembrim.'],
  ['bg', 'Валидна е до 22 декември 2026\u202fг.'],
] as const)('in %s, says until when the link works as the sentence needs the date', (locale, sentence) => {
  const message = buildInvitationEmail(config, {
    requestId: 1,
    contactId: 1,
    to: 'x@example.com',
    name: null,
    locale,
    siteUrl: 'https://reviews.example',
    token,
    expiresAt: new Date('2026-12-22T10:00:00Z'),
  });
  expect(message.text).toContain(sentence);
});
