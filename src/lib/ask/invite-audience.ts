/** Who an invitation run asks for a review: promoters (latest answer 9–10) or every respondent. */
export const inviteAudiences = ['promoters', 'all'] as const;

/** One of `inviteAudiences`. */
export type InviteAudience = (typeof inviteAudiences)[number];

/** Whether a stored or typed value names an audience. */
export function isInviteAudience(value: unknown): value is InviteAudience {
  return typeof value === 'string' && (inviteAudiences as readonly string[]).includes(value);
}
