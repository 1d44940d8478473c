import { z } from 'astro/zod';
import { describeFirstIssue, ConfigError } from '../../config-schema.ts';

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (value) => value === ':memory:' || /^(file|libsql|https?|wss?):/.test(value),
    'expected file:PATH, :memory:, libsql://HOST, http(s)://HOST or ws(s)://HOST',
  );

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const optionalUrl = optionalText.pipe(
  z.url({ protocol: /^https?$/, message: 'expected an absolute http(s) URL such as https://reviews.example.com' }).optional(),
);

/** The fewest bytes a webhook's signing secret may have: 256 bits, as much as its HMAC-SHA256 signature. */
export const webhookSecretMinBytes = 32;

/**
 * A shared secret that signs a webhook (HMAC): unset (the webhook is off), or at least 32 bytes,
 * so nobody can guess it. Every webhook secret of the environment uses this one rule.
 */
export const webhookSecret = optionalText.refine(
  (value) => value === undefined || Buffer.byteLength(value, 'utf8') >= webhookSecretMinBytes,
  `must be at least ${webhookSecretMinBytes} bytes long; make one with: openssl rand -hex 32`,
);

/** Environment variables the server and the scripts read (see docs/configuration.md). */
export const environmentSchema = z.object({
  DATABASE_URL: databaseUrl.default('file:db/local.db'),
  DATABASE_AUTH_TOKEN: optionalText,
  HOST: z.string().trim().min(1).default('localhost'),
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535).default(4321),
  SITE_URL: optionalUrl,
  RESEND_API_KEY: optionalText,
  RESEND_BASE_URL: optionalUrl,
  MAIL_FROM: optionalText,
  OUTBOX_DIR: z.string().trim().min(1).default('var/outbox'),
  UPLOAD_DIR: z.string().trim().min(1).default('var/uploads'),
  SITE_DIR: z.string().trim().min(1).default('var/site'),
  NPS_WEBHOOK_SECRET: webhookSecret,
  /** Shared secret of the signed event webhooks (POST /api/events/ticket-resolved); unset, they answer 503. */
  EVENTS_WEBHOOK_SECRET: webhookSecret,
  /** Slack incoming-webhook URL for notifications; wins over notifications.slack.webhookUrl in the config. A secret: never logged. */
  SLACK_WEBHOOK_URL: optionalUrl,
  /** How often npm start does the due work in-process (the tick), in seconds; 0 turns it off for cron deployments. */
  TICK_INTERVAL_SECONDS: z.coerce.number({ message: 'expected a number of seconds (0 turns the in-process tick off)' }).int().min(0).max(86_400).default(60),
  /** Days after sign-in when an admin session ends however much it is used (it also ends after 30 days unused). */
  SESSION_MAX_AGE_DAYS: z.coerce.number({ message: 'expected a number of days' }).int('expected a whole number of days').min(1).max(365).default(30),
  /** Review submissions allowed per client address in 10 minutes (behind a proxy, set TRUST_PROXY so each visitor is counted). */
  SUBMISSION_RATE_LIMIT_PER_IP: z.coerce.number({ message: 'expected a whole number' }).int().min(1).default(60),
  /**
   * How many reverse proxies (TLS terminator, load balancer) stand in front of the server: 0
   * (default) when it is reached directly. Behind them, requests are taken to come to SITE_URL,
   * and the client address is read from X-Forwarded-For, as many entries from the right.
   */
  TRUST_PROXY: z.coerce.number({ message: 'expected the number of proxies in front of the server (0, 1, 2…)' }).int().min(0).max(10).default(0),
});

/** The validated environment. */
export type Environment = z.output<typeof environmentSchema> & { SITE_URL: string };

/** Validates an environment; throws a ConfigError whose message is one line naming the key. */
export function parseEnvironment(source: Record<string, string | undefined>): Environment {
  const result = environmentSchema.safeParse(source);
  if (!result.success) throw new ConfigError(describeFirstIssue('environment', result.error));
  const environment = result.data;
  // Behind a proxy every request is taken to come to SITE_URL: a default would refuse every form.
  if (environment.TRUST_PROXY > 0 && !environment.SITE_URL) {
    throw new ConfigError('environment: TRUST_PROXY: also set SITE_URL to the public address the proxy serves, e.g. https://reviews.example.com');
  }
  const siteUrl = (environment.SITE_URL ?? `http://localhost:${environment.PORT || 4321}`).replace(/\/+$/, '');
  return { ...environment, SITE_URL: siteUrl };
}

let cached: Environment | undefined;

/** The process environment, validated once. */
export function getEnvironment(): Environment {
  cached ??= parseEnvironment(process.env);
  return cached;
}
