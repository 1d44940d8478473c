import type { ReviewWallConfig } from '../../config-schema.ts';
import type { NotificationEventType } from '../../notify/events.ts';

/** A webhook endpoint with its signing secret as found in the environment (undefined when unset). */
export interface WebhookEndpoint {
  url: string;
  events: readonly NotificationEventType[];
  secretEnv: string;
  secret: string | undefined;
}

/** Where notifications go, resolved from the config and the environment. */
export interface NotificationTargets {
  /** The Slack incoming-webhook URL (a secret), or null when Slack is off. */
  slackUrl: string | null;
  /** True: one daily digest instead of a Slack message per answer and review. */
  slackDigest: boolean;
  digestHourUtc: number;
  webhooks: WebhookEndpoint[];
  /** Absolute base of the admin links in Slack messages (SITE_URL). */
  siteUrl: string;
}

/**
 * Reads the targets: SLACK_WEBHOOK_URL wins over the config's `notifications.slack.webhookUrl`;
 * each webhook's secret is the environment variable its `secretEnv` names.
 */
export function resolveNotificationTargets(
  config: Pick<ReviewWallConfig, 'notifications'>,
  environment: { SLACK_WEBHOOK_URL?: string | undefined; SITE_URL: string },
  variables: Record<string, string | undefined> = process.env,
): NotificationTargets {
  const { slack, webhooks } = config.notifications;
  return {
    slackUrl: environment.SLACK_WEBHOOK_URL ?? slack.webhookUrl ?? null,
    slackDigest: slack.digest === 'daily',
    digestHourUtc: slack.digestHourUtc,
    webhooks: webhooks.map((hook) => ({ url: hook.url, events: hook.events, secretEnv: hook.secretEnv, secret: variables[hook.secretEnv]?.trim() || undefined })),
    siteUrl: environment.SITE_URL.replace(/\/+$/, ''),
  };
}
