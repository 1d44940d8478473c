import { describe, expect, it } from 'vitest';
import rawConfig from '../../fixtures/review-wall.config.ts';
import { parseReviewWallConfig, type ReviewWallConfigInput } from '../../../src/lib/config-schema.ts';
import { isInInviteAudience, parseDayRange, parseScore, surveyRoundAt, ticketResolvedSchema } from '../../../src/lib/listen/survey.ts';
import { deriveToken, generateToken, isWellFormedToken } from '../../../src/lib/tokens.ts';
import { buildSurveyEmail } from '../../../src/lib/server/listen/surveys.ts';

const day = 24 * 60 * 60 * 1000;

describe('survey rules', () => {
  it.each([
    ['0', 0],
    ['9', 9],
    ['10', 10],
    ['11', null],
    ['09', null],
    ['-1', null],
    ['nine', null],
    [undefined, null],
  ])('reads the score of a link path %j as %j', (value, expected) => {
    expect(parseScore(value)).toBe(expected);
  });

  it('asks promoters (9–10) for a review, or everyone with "all"', () => {
    expect([...Array(11).keys()].filter((score) => isInInviteAudience(score, 'promoters'))).toEqual([9, 10]);
    expect([...Array(11).keys()].every((score) => isInInviteAudience(score, 'all'))).toBe(true);
  });

  it('starts a new round once the current one has lasted its length', () => {
    const startedAt = new Date('2026-01-01T00:00:00Z');
    expect(surveyRoundAt(null, startedAt, 90)).toBe(1);
    expect(surveyRoundAt({ round: 3, startedAt }, new Date(startedAt.getTime() + 89.9 * day), 90)).toBe(3);
    expect(surveyRoundAt({ round: 3, startedAt }, new Date(startedAt.getTime() + 90 * day), 90)).toBe(4);
  });

  it.each([
    ['2026-01-01', '2026-01-31', { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' }],
    ['2026-03-05', '2026-03-05', { from: '2026-03-05T00:00:00.000Z', to: '2026-03-06T00:00:00.000Z' }],
  ])('reads the day range %s – %s, both days included', (from, to, expected) => {
    const range = parseDayRange(from, to);
    expect(range && !('error' in range) ? { from: range.from.toISOString(), to: range.to.toISOString() } : range).toEqual(expected);
  });

  it.each([
    ['2026-01-01', '', 'Give both the first and the last day.'],
    ['01/02/2026', '2026-02-03', 'Days are written YYYY-MM-DD.'],
    ['2026-02-03', '2026-02-01', 'The last day comes before the first.'],
  ])('refuses the day range %j – %j with a clear message', (from, to, error) => {
    expect(parseDayRange(from, to)).toEqual({ error });
  });

  it('derives the review link of a survey: well formed, stable, different for each survey and purpose', () => {
    const survey = generateToken();
    const derived = deriveToken(survey, 'review-after-survey');
    expect(isWellFormedToken(derived)).toBe(true);
    expect(deriveToken(survey, 'review-after-survey')).toBe(derived);
    expect(derived).not.toBe(survey);
    expect(deriveToken(generateToken(), 'review-after-survey')).not.toBe(derived);
    expect(deriveToken(survey, 'something-else')).not.toBe(derived);
  });

  it('accepts a ticket event\'s survey kind in any case, and leaves it out when blank', () => {
    expect(ticketResolvedSchema.parse({ email: 'a@example.com', ticket_id: '1', kind: ' CSAT ' })).toMatchObject({ kind: 'csat' });
    expect(ticketResolvedSchema.parse({ email: 'a@example.com', ticket_id: '1', kind: '' }).kind).toBeUndefined();
  });

  it('accepts a ticket event with a numeric ticket id and a lowercased address', () => {
    expect(ticketResolvedSchema.parse({ email: ' Ana@Example.COM ', ticket_id: 123 })).toEqual({ email: 'ana@example.com', ticket_id: '123' });
  });
});

describe('survey settings in review-wall.config.ts', () => {
  const withSurveys = (surveys: unknown) => ({ ...(rawConfig as ReviewWallConfigInput), surveys }) as ReviewWallConfigInput;

  it('has the documented defaults', () => {
    const config = parseReviewWallConfig(withSurveys(undefined));
    expect(config.surveys).toEqual({ quietPeriodDays: 90, afterTicketResolvedHours: 24, reminderAfterDays: 3, afterTicketKind: 'nps', csat: {}, ces: {} });
    expect(config.invite).toMatchObject({ afterAnswerDays: 1, reminderAfterDays: 5 });
  });

  it.each([
    [{ autopilot: { everyDays: 30 } }, 'review-wall.config.ts: surveys.autopilot.everyDays: expected at least surveys.quietPeriodDays: nobody is surveyed again inside the quiet period'],
    [{ reminderAfterDays: 0 }, 'review-wall.config.ts: surveys.reminderAfterDays: expected a number of days above 0, or false'],
    [{ quietPeriodDays: -1 }, 'review-wall.config.ts: surveys.quietPeriodDays:'],
    [{ afterTicketKind: 'stars' }, 'review-wall.config.ts: surveys.afterTicketKind: expected nps, csat or ces'],
    [{ csat: { subject: { text: '' } } }, 'review-wall.config.ts: surveys.csat.subject.text: expected what CSAT asks about'],
  ])('refuses %j with one line naming the key', (surveys, message) => {
    expect(() => parseReviewWallConfig(withSurveys(surveys))).toThrow(message);
  });

  it('allows turning reminders off and the autopilot on at the quiet period', () => {
    const config = parseReviewWallConfig(withSurveys({ reminderAfterDays: false, autopilot: { everyDays: 90 } }));
    expect(config.surveys).toMatchObject({ reminderAfterDays: false, autopilot: { everyDays: 90 } });
  });
});

describe('the survey email', () => {
  it('declines the Latvian month after "līdz" (until) in the link note', () => {
    const config = parseReviewWallConfig(rawConfig as ReviewWallConfigInput);
    const input = { surveyId: 1, contactId: 1, to: 'a@example.com', name: null, siteUrl: 'https://reviews.example', token: 'a'.repeat(32), expiresAt: new Date(Date.UTC(2026, 11, 21)) };
    expect(buildSurveyEmail(config, { ...input, locale: 'lv' }).text).toContain('Tās ir derīgas līdz 2026. gada 21. decembrim.');
    expect(buildSurveyEmail(config, { ...input, locale: 'pl' }).text).toContain('Są ważne do 21 grudnia 2026.');
  });
});
