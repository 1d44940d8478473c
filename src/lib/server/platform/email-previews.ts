import type { ReviewWallConfig } from '../../config-schema.ts';
import type { RenderedEmail } from '../../email-layout.ts';
import { wordingFor, type EmailKind } from '../../email-wording.ts';
import type { Locale } from '../../locales.ts';
import { buildInvitationEmail } from '../ask/invitations.ts';
import { buildSurveyEmail } from '../listen/surveys.ts';
import { renderIncentiveEmail } from '../thank/incentives.ts';

/** An email as a customer would get it, with sample values, and whether the business reworded it. */
export interface EmailPreview extends RenderedEmail {
  kind: EmailKind;
  locale: Locale;
  customSubject: boolean;
  customBody: boolean;
}

// Sample values: no real customer's data appears in a preview.
const sampleToken = 'exampleexampleexampleexample2345';
const sample = { contactId: 0, to: 'customer@example.com', name: 'Alex Example', token: sampleToken };

/** Renders `kind` in `locale` exactly as it would be sent (same builders), for a sample customer. */
export function previewEmail(config: ReviewWallConfig, kind: EmailKind, locale: Locale, siteUrl: string, now = new Date()): EmailPreview {
  const expiresAt = new Date(now.getTime() + config.tokens.lifetimeDays * 24 * 60 * 60 * 1000);
  let rendered: RenderedEmail;
  switch (kind) {
    case 'survey':
    case 'surveyReminder':
      rendered = buildSurveyEmail(config, { ...sample, surveyId: 0, locale, siteUrl, expiresAt, reminder: kind === 'surveyReminder' });
      break;
    case 'invitation':
    case 'invitationReminder':
      rendered = buildInvitationEmail(config, { ...sample, requestId: 0, locale, siteUrl, expiresAt, reminder: kind === 'invitationReminder' });
      break;
    case 'incentive':
      rendered = renderIncentiveEmail(config, { name: sample.name, locale, code: 'GIFT-EXAMPLE-123' });
      break;
  }
  const own = wordingFor(config.emails, kind, locale);
  return { kind, locale, subject: rendered.subject, text: rendered.text, html: rendered.html, customSubject: own.subject !== undefined, customBody: own.body !== undefined };
}
