import { describe, expect, it } from 'vitest';
import rawConfig from '../fixtures/review-wall.config.ts';
import { parseReviewWallConfig, type ReviewWallConfigInput } from '../../src/lib/config-schema.ts';
import { emailKinds } from '../../src/lib/email-wording.ts';
import { messagesFor } from '../../src/lib/i18n/index.ts';
import { surveyStrings } from '../../src/lib/i18n/survey.ts';
import { supportedLocales } from '../../src/lib/locales.ts';
import { previewEmail } from '../../src/lib/server/platform/email-previews.ts';

const base = rawConfig as ReviewWallConfigInput;
const withEmails = (emails: unknown, extra: Partial<ReviewWallConfigInput> = {}) => ({ ...base, ...extra, emails });
const site = 'https://reviews.example';

describe('email wording in review-wall.config.ts', () => {
  it.each([
    [{ invitation: { pl: { body: 'Cześć {imie}!' } } }, 'review-wall.config.ts: emails.invitation.pl.body: unknown placeholder {imie}; this email fills {business}, {name}, {greeting}, {incentive}, {date}'],
    [{ survey: { en: { subject: 'Rate {business}, win {incentive}' } } }, 'review-wall.config.ts: emails.survey.en.subject: unknown placeholder {incentive}; this email fills {business}, {name}, {greeting}, {date}'],
    [{ incentive: { de: { subject: 'Danke' } } }, 'review-wall.config.ts: emails.incentive.de: unknown locale "de": expected one of en, pl, ru, uk, lv, bg'],
    [{ welcome: { en: { subject: 'Hi' } } }, 'review-wall.config.ts: emails.welcome: unknown key; expected one of survey, surveyReminder, invitation, invitationReminder, incentive'],
    [{ invitation: { en: { subjcet: 'Hi' } } }, 'review-wall.config.ts: emails.invitation.en.subjcet: unknown key'],
    [{ invitation: { en: { subject: 'Hi\nBcc: someone@example.com' } } }, 'review-wall.config.ts: emails.invitation.en.subject: expected one line'],
  ])('refuses %j with one clear line', (emails, message) => {
    expect(() => parseReviewWallConfig(withEmails(emails))).toThrow(message);
    expect(message).not.toContain('\n');
  });

  it('refuses wording for a locale the site does not speak', () => {
    expect(() => parseReviewWallConfig(withEmails({ survey: { lv: { subject: 'Sveiki' } } }, { locales: { default: 'en', enabled: ['en', 'pl'] } }))).toThrow(
      'review-wall.config.ts: emails.survey.lv: locale "lv" is not in locales.enabled (en, pl)',
    );
  });

  it('keeps every default text when nothing is set', () => {
    const config = parseReviewWallConfig(withEmails(undefined));
    for (const locale of supportedLocales) {
      expect(previewEmail(config, 'invitation', locale, site).subject).toBe(messagesFor(locale).inviteEmail.subject.replace('{business}', config.business.name));
      expect(previewEmail(config, 'surveyReminder', locale, site).subject).toBe(surveyStrings(locale).email.reminderSubject.replace('{business}', config.business.name));
      expect(previewEmail(config, 'incentive', locale, site).text).toContain(messagesFor(locale).incentiveEmail.independence);
    }
  });
});

describe('an email with its own wording', () => {
  const config = parseReviewWallConfig(
    withEmails({
      invitation: { pl: { subject: '{business}: dwie minuty?', body: '{greeting}\n\nDziękujemy, że jesteś z nami.\n\nNapisz, jak było.' } },
      survey: { en: { subject: 'Quick question from {business}', body: 'Hi {name}, one question until {date}:\n\nWould you recommend us?' } },
      incentive: { en: { body: '{greeting}\n\nHere is {incentive}, with thanks from {business}.' } },
    }),
  );

  it('uses the subject and body in that locale, and keeps the incentive promise, the button and the footer', () => {
    const own = previewEmail(config, 'invitation', 'pl', site);
    expect(own.subject).toBe(`${config.business.name}: dwie minuty?`);
    expect(own).toMatchObject({ customSubject: true, customBody: true });
    const t = messagesFor('pl').inviteEmail;
    expect(own.text.startsWith(`${t.greeting.replace('{name}', 'Alex Example')}\n\n`)).toBe(true);
    expect(own.text).toContain('Dziękujemy, że jesteś z nami.\n\nNapisz, jak było.');
    expect(own.text).not.toContain(t.thanks);
    expect(own.text).toContain(t.incentive.replace('{incentive}', config.incentive.translations.pl ?? config.incentive.text));
    expect(own.html).toContain(t.action);
    expect(own.text).toContain(`${site}/r/exampleexampleexampleexample2345/unsubscribe`);
    expect(own.text).not.toMatch(/\{[a-z]+\}/);
    // Other locales and other emails keep their default text.
    expect(previewEmail(config, 'invitation', 'en', site)).toMatchObject({ subject: messagesFor('en').inviteEmail.subject.replace('{business}', config.business.name), customBody: false });
    expect(previewEmail(config, 'invitationReminder', 'pl', site).customSubject).toBe(false);
  });

  it('fills the survey and incentive placeholders and keeps the 0–10 buttons and the independence line', () => {
    const survey = previewEmail(config, 'survey', 'en', site);
    expect(survey.subject).toBe(`Quick question from ${config.business.name}`);
    expect(survey.text).toMatch(/^Hi Alex Example, one question until [^:\n]+ 2\d{3}:\n\nWould you recommend us\?/);
    expect(survey.text).toContain(`${site}/s/exampleexampleexampleexample2345/10`);
    const incentive = previewEmail(config, 'incentive', 'en', site);
    expect(incentive.text).toContain(`Here is ${config.incentive.text}, with thanks from ${config.business.name}.`);
    expect(incentive.text).toContain(messagesFor('en').incentiveEmail.independence);
  });

  it.each(emailKinds.flatMap((kind) => supportedLocales.map((locale) => [kind, locale] as const)))('previews %s in %s with every placeholder filled', (kind, locale) => {
    const preview = previewEmail(config, kind, locale, site);
    expect(preview.subject.length).toBeGreaterThan(0);
    expect(preview.text + preview.html).not.toMatch(/\{[a-z]+\}/);
    expect(preview.html).toContain(`<html lang="${locale}">`);
  });
});
