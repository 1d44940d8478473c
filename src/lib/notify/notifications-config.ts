import { z } from 'astro/zod';
import { notificationEventTypes } from './events.ts';

const httpUrl = z.url({ protocol: /^https?$/, message: 'expected an absolute http(s) URL' });

/** The environment variable a webhook's signing secret is read from when the endpoint names none. */
export const defaultWebhookSecretEnv = 'WEBHOOK_SECRET';

/**
 * `notifications` in review-wall.config.ts: Slack and signed outgoing webhooks (see
 * docs/configuration.md#notifications). Secrets never go here: the Slack URL may (the environment's
 * SLACK_WEBHOOK_URL wins), signing secrets are read from the environment variables named here.
 */
export const notificationsConfigSchema = z
  .strictObject({
    slack: z
      .strictObject({
        /** A Slack (or compatible) incoming-webhook URL; SLACK_WEBHOOK_URL in the environment wins. */
        webhookUrl: httpUrl.optional(),
        /** 'daily': one summary a day instead of a message per answer and per review. */
        digest: z.enum(['daily'], { message: 'expected "daily", or leave it out for a message per answer and review' }).optional(),
        /** The hour (UTC, 0–23) from which the day's digest goes out. */
        digestHourUtc: z.number().int().min(0).max(23, 'expected an hour from 0 to 23').default(8),
      })
      .prefault({}),
    webhooks: z
      .array(
        z.strictObject({
          url: httpUrl,
          events: z.array(z.enum(notificationEventTypes, { message: `expected one of ${notificationEventTypes.join(', ')}` })).min(1, 'expected at least one event'),
          /** The environment variable holding this endpoint's `whsec_…` signing secret. */
          secretEnv: z
            .string()
            .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected the name of an environment variable, like WEBHOOK_SECRET_CRM (the secret itself never goes in this file)')
            .default(defaultWebhookSecretEnv),
        }),
      )
      .default([])
      .refine((hooks) => new Set(hooks.map((hook) => hook.url)).size === hooks.length, 'expected each URL once: list all its events in one entry'),
  })
  .prefault({});
