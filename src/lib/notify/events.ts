/** The events endpoints may subscribe to (docs/notifications.md#events). */
export const notificationEventTypes = ['nps.answered', 'review.submitted', 'review.approved', 'site.published', 'incentive.sent'] as const;

/** An event an endpoint may subscribe to. */
export type NotificationEventType = (typeof notificationEventTypes)[number];

/** The daily Slack digest: an event of the outbox that only Slack receives. */
export const digestEventType = 'notifications.digest';

/** The endpoint name of the Slack webhook in the delivery log (its URL is a secret, read when sending). */
export const slackEndpoint = 'slack';

/**
 * Waits after failed attempt 1, 2, …: 1 min, 5 min, 30 min, 2 h, 12 h. The attempt after the
 * last wait is the last one: failing it, the delivery is failed for good (Send again restarts it).
 */
export const deliveryRetryDelaysMs = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000] as const;

/** Attempts a delivery gets before it is failed for good. */
export const maxDeliveryAttempts = deliveryRetryDelaysMs.length + 1;

/** When to try again after failed attempt number `attempts`, or null when that was the last. */
export function nextDeliveryAttempt(attempts: number, now: Date): Date | null {
  const delay = deliveryRetryDelaysMs[attempts - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay);
}

/** NPS category of a 0–10 score. */
export type NpsCategory = 'promoter' | 'passive' | 'detractor';

/** The `data` of an nps.answered event (written by the database trigger in migration 0009). */
export interface NpsAnsweredData {
  responseId: number;
  score: number;
  category: NpsCategory;
  comment: string | null;
  source: string;
  respondedAt: string;
  contact: { id: number; email: string; name: string | null; locale: string };
}

/** The `data` of a review.submitted event. */
export interface ReviewSubmittedData {
  reviewId: number;
  rating: number;
  locale: string;
  submittedAt: string;
  contact: { id: number; email: string; name: string | null; locale: string };
}

/** The `data` of a daily digest: what happened since the previous one. */
export interface DigestData {
  since: string;
  until: string;
  answers: { promoter: number; passive: number; detractor: number };
  reviewsSubmitted: number;
  /** Reviews waiting for moderation when the digest was made. */
  reviewsWaiting: number;
}
