import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { requireAdmin } from '../lib/server/auth/admin-guard.ts';
import { getDatabase } from '../lib/server/platform/database.ts';
import { getEnvironment } from '../lib/server/platform/env.ts';
import { eraseContact } from '../lib/server/moderate/erasure.ts';
import { publishAfterApproval } from '../lib/server/publish/publish.ts';

const emailInput = z.string().trim().toLowerCase().pipe(z.email({ message: 'Enter the customer’s email address.' }));

function erasureOptions(dryRun: boolean) {
  const env = getEnvironment();
  // Older published builds are cleaned at once; the live one goes once the republish below replaces it.
  return { uploadDir: env.UPLOAD_DIR, outboxDir: env.OUTBOX_DIR, siteDir: env.SITE_DIR, dryRun };
}

/** Erasing a customer on request (GDPR Art. 17) at /admin/erase/: look first, then confirm. */
export const adminErasure = {
  /** Shows what erasing would remove; changes nothing. */
  preview: defineAction({
    accept: 'form',
    input: z.object({ email: emailInput }),
    handler: async ({ email }, context) => {
      const admin = requireAdmin(context);
      const report = await eraseContact(await getDatabase(), { email }, { id: admin.id, label: admin.email }, erasureOptions(true));
      // No customer (yet): the page offers to record the address as erased, so imports leave it out.
      return { email, report };
    },
  }),
  /** Erases for good, then republishes when a review of theirs may be on the public pages. */
  erase: defineAction({
    accept: 'form',
    input: z.object({
      email: emailInput,
      confirm: z.literal('yes', { message: 'Tick the box to confirm that this cannot be undone.' }),
    }),
    handler: async ({ email }, context) => {
      const admin = requireAdmin(context);
      const db = await getDatabase();
      const report = await eraseContact(db, { email }, { id: admin.id, label: admin.email }, erasureOptions(false));
      // Nobody had that address: eraseContact recorded it as erased.
      if (!report) return { contactId: null, publishing: false };
      let publishing = false;
      if (report.needsPublish) {
        // The live pages were built while their review was approved: rebuild them now (or right
        // after a publish already running), so the review leaves the public site.
        await publishAfterApproval({ db, siteDir: getEnvironment().SITE_DIR, startedBy: admin.email });
        publishing = true;
      }
      return { contactId: report.contactId, publishing };
    },
  }),
};
