import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { requireAdmin } from '../lib/server/auth/admin-guard.ts';
import { getDatabase } from '../lib/server/platform/database.ts';
import { retryFailedIncentives } from '../lib/server/thank/incentives.ts';

/** The Retry button at /admin/incentives/: failed incentives go back to pending for the next `npm run incentives`. */
export const adminIncentives = {
  retryFailed: defineAction({
    accept: 'form',
    input: z.object({}),
    handler: async (_input, context) => {
      const admin = requireAdmin(context);
      return { count: await retryFailedIncentives(await getDatabase(), admin) };
    },
  }),
};
