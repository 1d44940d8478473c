import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { requireAdmin } from '../lib/server/auth/admin-guard.ts';
import { sendDeliveryAgain } from '../lib/server/notify/delivery-log.ts';
import { getDatabase } from '../lib/server/platform/database.ts';
import { kickTickLoop } from '../lib/server/schedule/tick.ts';

/** Send again at /admin/deliveries/: the delivery is queued again under the same webhook-id. */
export const adminNotifications = {
  sendAgain: defineAction({
    accept: 'form',
    input: z.object({ deliveryId: z.coerce.number().int().positive() }),
    handler: async (input, context) => {
      const admin = requireAdmin(context);
      const outcome = await sendDeliveryAgain(await getDatabase(), input.deliveryId, admin);
      if (outcome.kind === 'not-found') throw new ActionError({ code: 'NOT_FOUND', message: 'This delivery no longer exists.' });
      if (outcome.kind === 'already-pending') throw new ActionError({ code: 'CONFLICT', message: 'This delivery is already waiting for its next attempt.' });
      // The server's own tick sends it now; with ticks from cron, the next run does.
      kickTickLoop();
      return { deliveryId: outcome.id };
    },
  }),
};
