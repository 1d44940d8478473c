import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { surveyKindSchema } from '../lib/listen/survey-kinds.ts';
import { requireAdmin } from '../lib/server/auth/admin-guard.ts';
import { startSurveyCampaign } from '../lib/server/listen/survey-campaigns.ts';
import { getDatabase } from '../lib/server/platform/database.ts';
import { kickTickLoop } from '../lib/server/schedule/tick.ts';

/** "Send survey" at /admin/surveys/: the campaign runs in the background as due work; the page follows it. */
export const adminSurveys = {
  start: defineAction({
    accept: 'form',
    input: z.object({
      kind: surveyKindSchema.default('nps'),
      limit: z.preprocess(
        (value) => (value === '' || value === null ? undefined : value),
        z.coerce.number({ message: 'The limit is a whole number of contacts.' }).int('The limit is a whole number of contacts.').min(1, 'The limit is at least 1.').optional(),
      ),
    }),
    handler: async (input, context) => {
      const admin = requireAdmin(context);
      const campaignId = await startSurveyCampaign(await getDatabase(), { limit: input.limit ?? null, adminId: admin.id, kind: input.kind });
      // The server's own tick starts it at once; with ticks from cron, the next one does.
      return { campaignId, kind: input.kind, startedHere: kickTickLoop() };
    },
  }),
};
