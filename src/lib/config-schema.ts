import { z } from 'astro/zod';
import { inviteAudiences } from './ask/invite-audience.ts';
import { supportedLocales } from './locales.ts';

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
  z.object({
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

/** The shape of `review-wall.config.ts`. */
export const reviewWallConfigSchema = z.object({
  business: z.object({
    name: z.string().trim().min(1, 'expected the business name'),
    website: z.url({ message: 'expected an absolute URL like "https://example.com"' }),
    logo: logoPath.optional(),
    colors: z
      .object({ primary: hexColor.default('#1f6feb'), accent: hexColor.default('#f5a623') })
      .prefault({}),
  }),
  itemReviewed: z.object({
    type: z.enum(itemReviewedTypes, {
      message: `expected one of ${itemReviewedTypes.join(', ')}`,
    }),
    name: z.string().trim().min(1, 'expected the name of the product or service reviewed'),
  }),
  locales: z
    .object({
      default: localeCode.default('en'),
      enabled: z.array(localeCode).min(1).default([...supportedLocales]),
    })
    .prefault({}),
  invite: z
    .object({
      /**
       * Who `npm run invite` asks by default: promoters (9–10) only, or every respondent. What the
       * public pages say about collection follows the invitations actually sent, not this value.
       */
      audience: z.enum(inviteAudiences, { message: 'expected "promoters" or "all"' }).default('promoters'),
    })
    .prefault({}),
  incentive: z
    .object({
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
  tokens: z
    .object({
      lifetimeDays: z.number().int().min(1).max(365, 'expected at most 365 days').default(30),
    })
    .prefault({}),
  publish: z
    .object({
      /** Rebuild the public pages after every approval instead of waiting for Publish. */
      automaticallyAfterApproval: z.boolean().default(false),
    })
    .prefault({}),
});

/** What a business writes in `review-wall.config.ts`. */
export type ReviewWallConfigInput = z.input<typeof reviewWallConfigSchema>;
/** The validated configuration, with defaults filled in. */
export type ReviewWallConfig = z.output<typeof reviewWallConfigSchema>;

/** Identity helper that gives `review-wall.config.ts` types and autocompletion. */
export function defineReviewWallConfig(config: ReviewWallConfigInput): ReviewWallConfigInput {
  return config;
}

/** Turns a zod error into one line: the first failing key and what it expects. */
export function describeFirstIssue(source: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${source}: invalid`;
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
