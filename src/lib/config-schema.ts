import { z } from 'astro/zod';
import { closestMatch } from './edit-distance.ts';
import { inviteAudiences } from './ask/invite-audience.ts';
import { emailKinds, emailPlaceholders, unknownPlaceholders, type EmailKind } from './email-wording.ts';
import { supportedLocales } from './locales.ts';
import { notificationsConfigSchema } from './notify/notifications-config.ts';

const hexColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like "#1f6feb"');

const localeCode = z.enum(supportedLocales);

/** Image types a logo may have: what browsers show and sharp can turn into the PNG emails use. */
export const logoExtensions = ['svg', 'png', 'jpg', 'jpeg', 'webp', 'gif', 'avif'] as const;

/**
 * The logo: a file in public/, named by its path on the site ("/logo.svg"). Not a URL elsewhere:
 * the build turns it into the PNG that emails and link previews need, so it must be at hand.
 */
const logoPath = z
  .string()
  .trim()
  .refine((value) => !/^[a-z][a-z0-9+.-]*:/i.test(value), {
    message: 'expected a file in public/, like "/logo.svg", not a URL: save the logo in public/ (the build makes a PNG of it for emails and link previews)',
  })
  .refine((value) => /^\/[^?#\\]*$/.test(value) && !value.split('/').includes('..'), {
    message: 'expected the path of a file in public/, starting with "/", like "/logo.svg"',
  })
  .refine((value) => new RegExp(`\\.(${logoExtensions.join('|')})$`, 'i').test(value), {
    message: `expected an image file: ${logoExtensions.map((extension) => `.${extension}`).join(', ')}`,
  });

/** A text for people, with translations by locale (written to fit the same sentence). */
const translatedText = (what: string, maxLength: number) =>
  z.strictObject({
    text: z.string().trim().min(1, `expected ${what}`).max(maxLength, `expected at most ${maxLength} characters`),
    translations: z.partialRecord(localeCode, z.string().trim().min(1).max(maxLength, `expected at most ${maxLength} characters`)).default({}),
  });

/**
 * schema.org types a business may name as the thing reviewed. Google ignores self-serving
 * review markup on Organization and LocalBusiness; docs/configuration.md explains each choice.
 */
export const itemReviewedTypes = [
  'Product',
  'SoftwareApplication',
  'Service',
  'Course',
  'Book',
  'Organization',
  'LocalBusiness',
] as const;

/** One profile on a public review site ("G2", "Capterra", "Google", "Trustpilot", …) and its https address. */
export const sharingProfileSchema = z.strictObject({
  site: z.string().trim().min(1, 'expected the site\'s name, e.g. "G2"').max(40, 'expected at most 40 characters'),
  url: z
    .url({ message: 'expected an absolute URL like "https://www.g2.com/products/acme/reviews"' })
    .refine((value) => value.startsWith('https://'), { message: 'expected an https:// address' }),
});

/** A delay in days (fractions allowed, e.g. 0.5 for twelve hours). */
const days = z.number().min(0).max(365, 'expected at most 365 days');
/** A delay in days before a reminder, or false for no reminder. */
const optionalDelayDays = z.union([z.number().gt(0, 'expected a number of days above 0, or false').max(365, 'expected at most 365 days'), z.literal(false)], {
  message: 'expected a number of days, or false for no reminder',
});

/** One email's own subject and body in one language; placeholders are checked against what that email fills. */
function emailWordingSchema(kind: EmailKind) {
  const allowed = emailPlaceholders[kind].map((name) => `{${name}}`).join(', ');
  const checked = (text: z.ZodString) =>
    text.superRefine((value, context) => {
      const unknown = unknownPlaceholders(kind, value);
      if (unknown.length > 0) context.addIssue({ code: 'custom', message: `unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')}; this email fills ${allowed}` });
    });
  return z.strictObject(
    {
      // One line: a subject is a mail header.
      subject: checked(z.string().trim().min(1, 'expected a subject, or leave it out for the default').max(200, 'expected at most 200 characters').regex(/^[^\r\n]*$/, 'expected one line')).optional(),
      body: checked(z.string().trim().min(1, 'expected a body, or leave it out for the default').max(5000, 'expected at most 5,000 characters')).optional(),
    },
  );
}

/** An email's wording per locale code. */
function emailLocalesSchema(kind: EmailKind) {
  return z.record(z.string(), emailWordingSchema(kind)).superRefine((record, context) => {
    for (const locale of Object.keys(record)) {
      if (!(supportedLocales as readonly string[]).includes(locale)) {
        context.addIssue({ code: 'custom', path: [locale], message: `unknown locale "${locale}": expected one of ${supportedLocales.join(', ')}` });
      }
    }
  });
}

/** Own wording for the emails, per locale (see docs/configuration.md#email-wording); anything left out keeps the default text. */
const emailsSchema = z
  .strictObject(Object.fromEntries(emailKinds.map((kind) => [kind, emailLocalesSchema(kind).optional()])) as { [K in EmailKind]: z.ZodOptional<ReturnType<typeof emailLocalesSchema>> })
  .prefault({});

/**
 * The shape of `review-wall.config.ts`. Every object is strict: a misspelt key would otherwise be
 * dropped without a word and its setting silently left at the default.
 */
export const reviewWallConfigSchema = z.strictObject({
  business: z.strictObject({
    name: z.string().trim().min(1, 'expected the business name'),
    website: z.url({ message: 'expected an absolute URL like "https://example.com"' }),
    logo: logoPath.optional(),
    colors: z
      .strictObject({ primary: hexColor.default('#1f6feb'), accent: hexColor.default('#f5a623') })
      .prefault({}),
  }),
  itemReviewed: z.strictObject({
    type: z.enum(itemReviewedTypes, {
      message: `expected one of ${itemReviewedTypes.join(', ')}`,
    }),
    name: z.string().trim().min(1, 'expected the name of the product or service reviewed'),
  }),
  locales: z
    .strictObject({
      default: localeCode.default('en'),
      enabled: z.array(localeCode).min(1).default([...supportedLocales]),
    })
    .prefault({}),
  invite: z
    .strictObject({
      /**
       * Who `npm run invite` asks by default: promoters (9–10) only, or every respondent. What the
       * public pages say about collection follows the invitations actually sent, not this value.
       */
      audience: z.enum(inviteAudiences, { message: 'expected "promoters" or "all"' }).default('promoters'),
      /** Days after a survey answer in the audience before the review invitation email (unless they wrote the review already). */
      afterAnswerDays: days.default(1),
      /** Days after the invitation before one reminder for an unused review link; false for none. */
      reminderAfterDays: optionalDelayDays.default(5),
    })
    .prefault({}),
  surveys: z
    .strictObject({
      /**
       * Nobody is surveyed again with the same question (NPS, CSAT or CES) within this many days of
       * their last survey of that kind, whatever triggers it.
       */
      quietPeriodDays: z.number().int().min(0).max(3650, 'expected at most 3650 days').default(90),
      /** The question a resolved helpdesk ticket asks, unless the event names its own `kind`. */
      afterTicketKind: z.enum(['nps', 'csat', 'ces'], { message: 'expected nps, csat or ces' }).default('nps'),
      /** CSAT: "How satisfied were you with {subject}?"; the subject with optional translations (default "our support"). */
      csat: z.strictObject({ subject: translatedText('what CSAT asks about, e.g. "our support"', 200).optional() }).prefault({}),
      /** CES: "How easy was it to {task}?"; the task with optional translations (default "get your issue solved"). */
      ces: z.strictObject({ task: translatedText('what CES asks about, e.g. "get your issue solved"', 200).optional() }).prefault({}),
      /** Hours after a helpdesk ticket is resolved before its survey goes out. */
      afterTicketResolvedHours: z.number().min(0).max(24 * 90, 'expected at most 2160 hours (90 days)').default(24),
      /** Days after the survey before one reminder if it is unanswered; false for none. */
      reminderAfterDays: optionalDelayDays.default(3),
      /** Survey every contact again on this rhythm (rounds); leave out to survey only by hand or after tickets. */
      autopilot: z.strictObject({ everyDays: z.number().int().min(1, 'expected at least 1 day').max(3650) }).optional(),
    })
    .prefault({})
    .refine((surveys) => !surveys.autopilot || surveys.autopilot.everyDays >= surveys.quietPeriodDays, {
      message: 'expected at least surveys.quietPeriodDays: nobody is surveyed again inside the quiet period',
      path: ['autopilot', 'everyDays'],
    }),
  incentive: z
    .strictObject({
      /** What every reviewer receives, e.g. "a $10 gift card", with optional translations. */
      text: z.string().trim().min(1, 'expected the incentive, e.g. "a $10 gift card"'),
      translations: z.partialRecord(localeCode, z.string().trim().min(1)).default({}),
      /**
       * How to claim it, e.g. "Redeem the code at https://acme.example/gift before 31 March.", with
       * translations: the thank-you email says it under the incentive (and the code, if any).
       */
      claimInstructions: translatedText('how to claim the incentive, e.g. "Redeem the code at https://acme.example/gift"', 1000).optional(),
    })
    .superRefine((incentive, context) => {
      // A language that names the incentive in its own words must also say how to claim it in
      // them: otherwise its thank-you email switches language in the middle.
      if (!incentive.claimInstructions) return;
      for (const locale of Object.keys(incentive.translations)) {
        if (incentive.claimInstructions.translations[locale as keyof typeof incentive.translations]) continue;
        context.addIssue({
          code: 'custom',
          path: ['claimInstructions', 'translations', locale],
          message: `expected the ${locale} translation, as incentive.translations has one (its thank-you email would otherwise switch language)`,
        });
      }
    }),
  sharing: z
    .strictObject({
      /**
       * The business's profiles on public review sites, offered to every reviewer after they send a
       * review, whatever their rating (showing them only to happy reviewers is review gating, which
       * Google forbids). Empty: nothing is shown.
       */
      profiles: z.array(sharingProfileSchema).max(8, 'expected at most 8 profiles').default([]),
    })
    .prefault({}),
  tokens: z
    .strictObject({
      lifetimeDays: z.number().int().min(1).max(365, 'expected at most 365 days').default(30),
    })
    .prefault({}),
  publish: z
    .strictObject({
      /** Rebuild the public pages after every approval instead of waiting for Publish. */
      automaticallyAfterApproval: z.boolean().default(false),
    })
    .prefault({}),
  emails: emailsSchema,
  /** Slack messages and signed outgoing webhooks (issue 14 point 1). */
  notifications: notificationsConfigSchema,
}).superRefine((config, context) => {
  // Wording for a language the site does not speak would never be sent: most likely a typo.
  for (const kind of emailKinds) {
    for (const locale of Object.keys(config.emails[kind] ?? {})) {
      if ((supportedLocales as readonly string[]).includes(locale) && !(config.locales.enabled as string[]).includes(locale)) {
        context.addIssue({ code: 'custom', path: ['emails', kind, locale], message: `locale "${locale}" is not in locales.enabled (${config.locales.enabled.join(', ')})` });
      }
    }
  }
});

/** What a business writes in `review-wall.config.ts`. */
export type ReviewWallConfigInput = z.input<typeof reviewWallConfigSchema>;
/** The validated configuration, with defaults filled in. */
export type ReviewWallConfig = z.output<typeof reviewWallConfigSchema>;

/** Identity helper that gives `review-wall.config.ts` types and autocompletion. */
export function defineReviewWallConfig(config: ReviewWallConfigInput): ReviewWallConfigInput {
  return config;
}

/** The keys a config object at `path` may have (object keys, or a record's allowed keys). */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  // Zod 4 keeps the parts of a schema in `_zod.def`; wrappers (default, prefault, optional) hold
  // the schema they wrap in `innerType`.
  type Definition = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; keyType?: z.ZodType; element?: z.ZodType; entries?: Record<string, string> };
  let current: z.ZodType | undefined = schema;
  const rest = [...path];
  while (current) {
    const def: Definition = (current as unknown as { _zod: { def: Definition } })._zod.def;
    if (def.innerType) {
      current = def.innerType;
      continue;
    }
    if (rest.length === 0) {
      if (def.type === 'object') return Object.keys(def.shape ?? {});
      if (def.type === 'record' && def.keyType) return knownKeysAt(def.keyType, []);
      if (def.type === 'enum') return Object.values(def.entries ?? {});
      return [];
    }
    const key = rest.shift()!;
    if (def.type === 'object') current = def.shape?.[String(key)];
    else if (def.type === 'array') current = def.element;
    else return [];
  }
  return [];
}

/** "did you mean …?" for a misspelt key, else the keys allowed there. */
function describeUnknownKey(key: string, known: string[]): string {
  const suggestion = closestMatch(key, known);
  if (suggestion) return `unknown key; did you mean "${suggestion}"?`;
  return known.length > 0 ? `unknown key; expected one of ${known.join(', ')}` : 'unknown key';
}

/** Turns a zod error into one line: the first failing key and what it expects. */
export function describeFirstIssue(source: string, error: z.ZodError, schema: z.ZodType = reviewWallConfigSchema): string {
  const issue = error.issues[0];
  if (!issue) return `${source}: invalid`;
  if (issue.code === 'unrecognized_keys') {
    const [key = ''] = issue.keys;
    const keyPath = [...issue.path.map(String), key].join('.');
    return `${source}: ${keyPath}: ${describeUnknownKey(key, knownKeysAt(schema, issue.path))}`;
  }
  const key = issue.path.map(String).join('.') || '(root)';
  return `${source}: ${key}: ${issue.message}`;
}

/** Validates a config object; throws an Error whose message is one line, naming `source`. */
export function parseReviewWallConfig(input: unknown, source = 'review-wall.config.ts'): ReviewWallConfig {
  const result = reviewWallConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(describeFirstIssue(source, result.error));
  return result.data;
}

/** A configuration problem whose message is meant for the person starting the site. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
