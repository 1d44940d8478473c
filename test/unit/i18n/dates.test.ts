import { describe, expect, it } from 'vitest';
import { formatDateInSentence } from '../../../src/lib/i18n/dates.ts';
import { incentiveStatusText } from '../../../src/lib/collect/review-form-page.ts';

const december21 = new Date('2026-12-21T10:00:00Z');

describe('dates in sentences', () => {
  // Intl writes the month as it stands alone; Latvian sentences decline it. (\u202f: the narrow no-break space Intl puts before "г.".)
  it.each([
    ['en', 'until', 'December 21, 2026'],
    ['pl', 'until', '21 grudnia 2026'],
    ['ru', 'until', '21 декабря 2026\u202fг'],
    ['uk', 'until', '21 грудня 2026\u202fр'],
    ['bg', 'until', '21 декември 2026\u202fг'],
    ['lv', 'until', '2026. gada 21. decembrim'],
    ['lv', 'on', '2026. gada 21. decembrī'],
  ] as const)('%s, %s: %s', (locale, role, expected) => {
    expect(formatDateInSentence(locale, december21, role)).toBe(expected);
  });

  it('declines every Latvian month, not only December', () => {
    const months = Array.from({ length: 12 }, (_, month) => formatDateInSentence('lv', new Date(Date.UTC(2026, month, 1)), 'until'));
    expect(months).toEqual([
      '2026. gada 1. janvārim', '2026. gada 1. februārim', '2026. gada 1. martam', '2026. gada 1. aprīlim',
      '2026. gada 1. maijam', '2026. gada 1. jūnijam', '2026. gada 1. jūlijam', '2026. gada 1. augustam',
      '2026. gada 1. septembrim', '2026. gada 1. oktobrim', '2026. gada 1. novembrim', '2026. gada 1. decembrim',
    ]);
  });
});

describe('the incentive on the status page', () => {
  it('says it was emailed, and when, once it was; else that it will be', () => {
    expect(incentiveStatusText('en', 'a $10 gift card', december21)).toBe('As promised, whatever the outcome, we emailed you a $10 gift card on December 21, 2026.');
    expect(incentiveStatusText('en', 'a $10 gift card', null)).toBe('You will receive a $10 gift card as promised, whatever the outcome.');
    expect(incentiveStatusText('ru', 'подарочную карту', december21)).toBe(
      'Как и обещали, независимо от результата мы отправили вам подарочную карту по электронной почте 21 декабря 2026\u202fг.',
    );
    expect(incentiveStatusText('lv', 'dāvanu karti', december21)).toBe('Kā solīts, neatkarīgi no rezultāta mēs jums e-pastā nosūtījām dāvanu karti 2026. gada 21. decembrī.');
  });
});
