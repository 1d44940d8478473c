// How the moderation queue words what it shows (the admin speaks English only).
import { counted } from '../plural.ts';
import type { NameDisplay } from '../collect/display-name.ts';
import { isLocale, localeNames } from '../locales.ts';
import { rejectionReasonLabel } from './review-status.ts';

/** How each audit action reads in a review's log; an unknown one is shown as stored. */
export function auditActionLabel(action: string): string {
  return Object.hasOwn(auditActionLabels, action) ? auditActionLabels[action]! : action;
}

const auditActionLabels: Record<string, string> = {
  'review.approve': 'Approved',
  'review.reject': 'Rejected',
  'review.hide': 'Hidden',
  'review.feature': 'Featured',
  'review.unfeature': 'Unfeatured',
  'review.redact': 'Removed personal data',
};

/** What an audit entry's detail adds: the rejection reason, or how much personal data was removed (never what). */
export function describeAuditDetail(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  if (typeof detail.reason === 'string') return rejectionReasonLabel(detail.reason);
  if (typeof detail.occurrences === 'number') return `${counted(detail.occurrences, 'passage')} replaced by […]`;
  return '';
}

const incentiveStateLabels: Record<string, string> = { pending: 'to be sent', sending: 'sending', sent: 'sent', failed: 'failed' };

/** Where a review's incentive stands, or "none" when there is none. */
export function incentiveStateLabel(state: string | null): string {
  if (!state) return 'none';
  return Object.hasOwn(incentiveStateLabels, state) ? incentiveStateLabels[state]! : state;
}

/** How the reviewer chose to be named, in words. */
export const nameDisplayLabels: Record<NameDisplay, string> = { full: 'full name', first_initial: 'first name and initial', anonymous: 'anonymous' };

/** A language for moderators: its own name and code ("Polski (pl)"), or the bare code of one the site does not speak. */
export function languageLabel(code: string): string {
  return isLocale(code) ? `${localeNames[code]} (${code})` : code;
}

/** A date as a day, in UTC ("2026-03-01"); empty for none. */
export function formatDay(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : '';
}

/** A moment to the minute, in UTC ("2026-03-01 14:05 UTC"). */
export function formatMinute(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
