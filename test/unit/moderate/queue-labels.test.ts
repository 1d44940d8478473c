import { describe, expect, it } from 'vitest';
import { auditActionLabel, describeAuditDetail, formatDay, formatMinute, incentiveStateLabel, languageLabel } from '../../../src/lib/moderate/queue-labels.ts';
import { rejectionReasonLabel } from '../../../src/lib/moderate/review-status.ts';

describe('the words of the moderation queue', () => {
  it('describe an audit entry: its action, its reason or how much was removed (never what)', () => {
    expect(auditActionLabel('review.redact')).toBe('Removed personal data');
    expect(auditActionLabel('review.archive')).toBe('review.archive');
    expect(describeAuditDetail({ reason: 'spam' })).toBe('Spam or advertising');
    expect(describeAuditDetail({ reason: 'legacy_reason' })).toBe('legacy_reason');
    expect(describeAuditDetail({ snippets: 1, occurrences: 1 })).toBe('1 passage replaced by […]');
    expect(describeAuditDetail({ snippets: 2, occurrences: 3 })).toBe('3 passages replaced by […]');
    expect(describeAuditDetail({ value: 'x' })).toBe('');
    expect(describeAuditDetail(null)).toBe('');
  });

  it('name rejection reasons, incentives and languages, and show what they do not know as stored', () => {
    expect(rejectionReasonLabel('not_genuine')).toBe('Not a genuine customer experience');
    expect(rejectionReasonLabel('constructor')).toBe('constructor');
    expect(incentiveStateLabel(null)).toBe('none');
    expect(incentiveStateLabel('pending')).toBe('to be sent');
    expect(incentiveStateLabel('lost')).toBe('lost');
    expect(languageLabel('uk')).toBe('Українська (uk)');
    expect(languageLabel('de')).toBe('de');
  });

  it('write dates in UTC', () => {
    const moment = new Date('2026-03-01T23:45:30Z');
    expect(formatDay(moment)).toBe('2026-03-01');
    expect(formatDay(null)).toBe('');
    expect(formatMinute(moment)).toBe('2026-03-01 23:45 UTC');
  });
});
