import type { Database } from '../../../../db/client.ts';
import { auditLog } from '../../../../db/schema.ts';

/** pending (waiting for its next attempt), delivered, or failed (after its last attempt). */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One delivery, as the admin's Deliveries page lists it. */
export interface DeliveryListing {
  id: number;
  eventId: string;
  eventType: string;
  /** `slack`, or the endpoint's URL. */
  endpoint: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  /** When a pending delivery is tried next. */
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

const date = (value: unknown) => (value === null || value === undefined ? null : new Date(Number(value)));

/** The latest deliveries, newest first, and how many there are in each status. */
export async function listDeliveries(db: Database, limit = 100): Promise<{ deliveries: DeliveryListing[]; counts: Record<DeliveryStatus, number> }> {
  const [list, counts] = await db.$client.batch(
    [
      {
        sql: `select d.id, d.event_id, e.type, d.endpoint, d.status, d.attempts, d.last_status_code, d.last_error, d.last_attempt_at,
                     d.next_attempt_at, d.delivered_at, d.created_at
              from webhook_deliveries d join outbox_events e on e.id = d.event_id
              order by d.created_at desc, d.id desc limit ?`,
        args: [limit],
      },
      'select status, count(*) as count from webhook_deliveries group by status',
    ],
    'read',
  );
  const byStatus: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const row of counts!.rows) if (String(row.status) in byStatus) byStatus[String(row.status) as DeliveryStatus] = Number(row.count);
  return {
    counts: byStatus,
    deliveries: list!.rows.map((row) => {
      const status = String(row.status) as DeliveryStatus;
      return {
        id: Number(row.id),
        eventId: String(row.event_id),
        eventType: String(row.type),
        endpoint: String(row.endpoint),
        status,
        attempts: Number(row.attempts),
        lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
        lastError: row.last_error === null ? null : String(row.last_error),
        lastAttemptAt: date(row.last_attempt_at),
        nextAttemptAt: status === 'pending' ? date(row.next_attempt_at) : null,
        deliveredAt: date(row.delivered_at),
        createdAt: new Date(Number(row.created_at)),
      };
    }),
  };
}

/** What Send again did. */
export type SendAgainOutcome = { kind: 'queued'; id: number } | { kind: 'not-found' } | { kind: 'already-pending' };

/**
 * Queues a delivered or failed delivery again, due now with a fresh set of attempts. Its body and
 * `webhook-id` stay the same, so a receiver that has the event already can tell it is a repeat.
 */
export async function sendDeliveryAgain(db: Database, deliveryId: number, actor: { id: number; email: string } | null, now = new Date()): Promise<SendAgainOutcome> {
  const [updated, existing] = await db.$client.batch(
    [
      {
        sql: `update webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = ?, claimed_by = null, claim_expires_at = null
              where id = ? and status in ('delivered', 'failed') returning id`,
        args: [now.getTime(), deliveryId],
      },
      { sql: 'select status from webhook_deliveries where id = ?', args: [deliveryId] },
    ],
    'write',
  );
  if (updated!.rows.length === 0) return existing!.rows.length === 0 ? { kind: 'not-found' } : { kind: 'already-pending' };
  await db.insert(auditLog).values({ actorId: actor?.id ?? null, actorLabel: actor?.email ?? 'system', action: 'delivery.send-again', subjectType: 'webhook_delivery', subjectId: deliveryId });
  return { kind: 'queued', id: deliveryId };
}
