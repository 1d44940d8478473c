import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { requireAdmin } from '../lib/server/admin-guard.ts';
import { getDatabase } from '../lib/server/database.ts';
import { getEnvironment } from '../lib/server/env.ts';
import { startPublishInBackground } from '../lib/server/publish.ts';

/** The Publish button at /admin/publish/. The build runs in the background; the page follows it. */
export const adminPublish = {
  start: defineAction({
    accept: 'form',
    input: z.object({}),
    handler: async (_input, context) => {
      const admin = requireAdmin(context);
      const outcome = await startPublishInBackground({
        db: await getDatabase(),
        siteDir: getEnvironment().SITE_DIR,
        startedBy: admin.email,
      });
      if (outcome.status === 'busy') throw new ActionError({ code: 'CONFLICT', message: `Publish run ${outcome.runId} is still running.` });
      return { runId: outcome.runId };
    },
  }),
};
