import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { requireAdmin } from '../lib/server/auth/admin-guard.ts';
import { getDatabase } from '../lib/server/platform/database.ts';
import { getEnvironment } from '../lib/server/platform/env.ts';
import { requestPublish } from '../lib/server/publish/publish.ts';

/** The Publish button at /admin/publish/. The build runs in the background; the page follows it. */
export const adminPublish = {
  start: defineAction({
    accept: 'form',
    input: z.object({}),
    handler: async (_input, context) => {
      const admin = requireAdmin(context);
      // While another publish runs (say one a hide started), it may have read the database before
      // the change this admin wants out: the request waits in the database and runs right after it.
      const outcome = await requestPublish({
        db: await getDatabase(),
        siteDir: getEnvironment().SITE_DIR,
        startedBy: admin.email,
      });
      return { runId: outcome.runId, queued: outcome.status === 'queued' };
    },
  }),
};
