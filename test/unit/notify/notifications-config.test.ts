import { describe, expect, it } from 'vitest';
import { parseReviewWallConfig } from '../../../src/lib/config-schema.ts';
import { nextDeliveryAttempt } from '../../../src/lib/notify/events.ts';
import { decodeSigningSecret } from '../../../src/lib/notify/standard-webhooks.ts';
import { parseEnvironment } from '../../../src/lib/server/platform/env.ts';
import { describeTick } from '../../../src/lib/server/schedule/tick.ts';
import { testConfig } from '../../helpers/config.ts';

const withNotifications = (notifications: unknown) => parseReviewWallConfig({ ...testConfig, notifications });

describe('notifications in review-wall.config.ts', () => {
  it('is off unless configured', () => {
    expect(parseReviewWallConfig(testConfig).notifications).toEqual({ slack: { digestHourUtc: 8 }, webhooks: [] });
  });

  it('reads endpoints with their events and the variable of their secret', () => {
    const config = withNotifications({ slack: { digest: 'daily', digestHourUtc: 17 }, webhooks: [{ url: 'https://crm.example.com/hook', events: ['nps.answered', 'site.published'] }] });
    expect(config.notifications).toEqual({
      slack: { digest: 'daily', digestHourUtc: 17 },
      webhooks: [{ url: 'https://crm.example.com/hook', events: ['nps.answered', 'site.published'], secretEnv: 'WEBHOOK_SECRET' }],
    });
  });

  it.each([
    [{ webhooks: [{ url: 'https://x.example/h', events: ['review.deleted'] }] }, 'notifications.webhooks.0.events.0: expected one of nps.answered, review.submitted, review.approved, site.published, incentive.sent'],
    [{ webhooks: [{ url: 'https://x.example/h', events: ['nps.answered'], secretEnv: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0' }] }, 'notifications.webhooks.0.secretEnv: expected the name of an environment variable, like WEBHOOK_SECRET_CRM (the secret itself never goes in this file)'],
    [{ webhooks: [{ url: 'https://x.example/h', events: [] }] }, 'notifications.webhooks.0.events: expected at least one event'],
    [{ webhooks: [{ url: 'ftp://x.example/h', events: ['nps.answered'] }] }, 'notifications.webhooks.0.url: expected an absolute http(s) URL'],
    [{ webhooks: [{ url: 'https://x.example/h', events: ['nps.answered'] }, { url: 'https://x.example/h', events: ['site.published'] }] }, 'notifications.webhooks: expected each URL once: list all its events in one entry'],
    [{ slack: { digest: 'weekly' } }, 'notifications.slack.digest: expected "daily", or leave it out for a message per answer and review'],
    [{ slack: { webhookUrl: 'https://hooks.slack.com/x', digestHour: 9 } }, 'notifications.slack.digestHour: unknown key; did you mean "digestHourUtc"?'],
  ])('refuses %j in one line', (notifications, message) => {
    expect(() => withNotifications(notifications)).toThrow(`review-wall.config.ts: ${message}`);
  });
});

describe('the environment', () => {
  it('takes SLACK_WEBHOOK_URL as an http(s) URL', () => {
    expect(parseEnvironment({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x' }).SLACK_WEBHOOK_URL).toBe('https://hooks.slack.com/services/T/B/x');
    expect(() => parseEnvironment({ SLACK_WEBHOOK_URL: 'hooks.slack.com/services' })).toThrow(/^environment: SLACK_WEBHOOK_URL: expected an absolute http\(s\) URL/);
  });
});

describe('signing secrets', () => {
  it.each([
    ['whsec_' + Buffer.alloc(32, 7).toString('base64'), 32],
    ['whsec_' + Buffer.alloc(24, 7).toString('base64'), 24],
    ['whsec_' + Buffer.alloc(16, 7).toString('base64'), null],
    [Buffer.alloc(32, 7).toString('base64'), null],
    ['whsec_not base64!', null],
  ])('%s decodes to %s bytes', (secret, length) => {
    expect(decodeSigningSecret(secret)?.length ?? null).toBe(length);
  });
});

describe('retry timing', () => {
  it('waits 1 min, 5 min, 30 min, 2 h, 12 h, then stops', () => {
    const now = new Date(0);
    expect([1, 2, 3, 4, 5, 6].map((attempt) => nextDeliveryAttempt(attempt, now)?.getTime() ?? null)).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 43_200_000, null]);
  });
});

describe('the tick summary', () => {
  it('names notifications delivered, to retry and failed', () => {
    const jobs = { claimed: 0, sent: 0, finished: 0, retried: 0, failed: 0, batches: 0 };
    expect(describeTick({ ...jobs, notifications: { events: 3, delivered: 2, retried: 1, failed: 0 } })).toBe('notifications: 2 delivered, 1 to retry later');
    expect(describeTick({ ...jobs, notifications: { events: 0, delivered: 0, retried: 0, failed: 0 } })).toBe('nothing was due');
  });
});
