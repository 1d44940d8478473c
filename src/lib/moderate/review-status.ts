/** Review moderation states. */
export const reviewStatuses = ['pending', 'approved', 'rejected', 'hidden'] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

/** How each state is shown to moderators. */
export const reviewStatusLabels: Record<ReviewStatus, string> = { pending: 'Pending', approved: 'Approved', rejected: 'Rejected', hidden: 'Hidden' };

/**
 * The only reasons a review may be rejected: content policy, applied equally to every rating.
 * There is deliberately no "negative" reason (FTC 16 CFR 465.7).
 */
export const rejectionReasons = ['spam', 'abusive', 'personal_data', 'not_genuine', 'off_topic'] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

/** How each rejection reason is shown to moderators. */
export const rejectionReasonLabels: Record<RejectionReason, string> = {
  spam: 'Spam or advertising',
  abusive: 'Abusive, hateful or threatening',
  personal_data: 'Personal data that cannot be redacted',
  not_genuine: 'Not a genuine customer experience',
  off_topic: 'Off-topic',
};

/** A stored rejection reason as moderators read it; a reason this version does not know is shown as stored. */
export function rejectionReasonLabel(reason: string): string {
  return Object.hasOwn(rejectionReasonLabels, reason) ? rejectionReasonLabels[reason as RejectionReason] : reason;
}
