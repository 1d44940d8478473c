import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { inviteAudiences } from '../lib/ask/invite-audience.ts';
import { getConfig } from '../lib/config.ts';
import { requireAdmin } from '../lib/server/auth/admin-guard.ts';
import { startInvitationCampaign } from '../lib/server/ask/invitation-campaigns.ts';
import { importUploadedCsv } from '../lib/server/listen/csv-upload.ts';
import { isTimeZone } from '../lib/listen/spreadsheet-dates.ts';
import { canonicalEncoding } from '../lib/listen/text-encodings.ts';
import { getDatabase } from '../lib/server/platform/database.ts';
import { kickTickLoop } from '../lib/server/schedule/tick.ts';
import { startIncentiveRun } from '../lib/server/thank/incentive-runs.ts';

/** The week's campaign at /admin/campaign/: import a CSV, invite, thank. Sending runs in the background as due work. */
export const adminCampaign = {
  importCsv: defineAction({
    accept: 'form',
    input: z.object({
      file: z.instanceof(File, { message: 'Choose a CSV file to upload.' }),
      mode: z.enum(['check', 'import']).default('check'),
      // npm run import's --encoding, --timezone and --date-order; empty means its default.
      encoding: z
        .string()
        .trim()
        .max(40)
        .nullish()
        .transform((value) => value || undefined)
        .refine((value) => value === undefined || canonicalEncoding(value) !== null, { message: 'Choose a file encoding from the list.' }),
      timeZone: z
        .string()
        .trim()
        .max(64)
        .nullish()
        .transform((value) => value || undefined)
        .refine((value) => value === undefined || isTimeZone(value), { message: 'Enter an IANA time zone such as Europe/Riga, or UTC.' }),
      dateOrder: z
        .enum(['', 'dmy', 'mdy'])
        .nullish()
        .transform((value) => value || undefined),
    }),
    handler: async (input, context) => {
      requireAdmin(context);
      if (input.file.size === 0 && input.file.name === '') throw new ActionError({ code: 'BAD_REQUEST', message: 'Choose a CSV file to upload.' });
      return importUploadedCsv(await getDatabase(), getConfig(), input.file, {
        dryRun: input.mode === 'check',
        encoding: input.encoding,
        timeZone: input.timeZone,
        dateOrder: input.dateOrder,
      });
    },
  }),
  invite: defineAction({
    accept: 'form',
    input: z.object({ audience: z.enum(inviteAudiences, { message: 'Choose promoters or all respondents.' }) }),
    handler: async (input, context) => {
      const admin = requireAdmin(context);
      const campaignId = await startInvitationCampaign(await getDatabase(), { audience: input.audience, adminId: admin.id });
      return { campaignId, startedHere: kickTickLoop() };
    },
  }),
  sendIncentives: defineAction({
    accept: 'form',
    input: z.object({}),
    handler: async (_input, context) => {
      const admin = requireAdmin(context);
      const runId = await startIncentiveRun(await getDatabase(), { adminId: admin.id });
      return { runId, startedHere: kickTickLoop() };
    },
  }),
};
