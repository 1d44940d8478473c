import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { requireAdmin } from '../lib/server/auth/admin-guard.ts';
import { followUpNoteMaxLength, markFollowedUp, undoFollowUp, type FollowUpOutcome } from '../lib/server/moderate/follow-up.ts';
import { getDatabase } from '../lib/server/platform/database.ts';

// "Mark followed up" and "Undo" at /admin/follow-up/ (`server.adminFollowUp.*`): refused with
// 401 by the middleware without a session (the group name starts with "admin"), origin-checked
// by Astro like every form post.

const responseId = z.coerce.number().int().positive();

/** What the page is told; failures become ActionErrors with a message for the marketer. */
export type FollowUpDone = { kind: 'marked' | 'undone'; responseId: number };

function answer(outcome: FollowUpOutcome): FollowUpDone {
  switch (outcome.kind) {
    case 'marked':
    case 'undone':
      return outcome;
    case 'not-found':
      throw new ActionError({ code: 'NOT_FOUND', message: 'That answer no longer exists (the customer may have been erased).' });
    case 'not-needed':
      throw new ActionError({ code: 'BAD_REQUEST', message: 'Promoters (9–10) are not on the follow-up list.' });
    case 'unchanged':
      throw new ActionError({
        code: 'CONFLICT',
        message: outcome.followedUpAt ? 'Someone marked that answer followed up already; the list is up to date now.' : 'That answer was waiting already; the list is up to date now.',
      });
  }
}

/** Follow-up actions, registered as `server.adminFollowUp` in src/actions/index.ts. */
export const adminFollowUp = {
  mark: defineAction({
    accept: 'form',
    input: z.object({
      responseId,
      note: z.preprocess((value) => (value === null ? undefined : value), z.string().trim().max(followUpNoteMaxLength, `Keep the note under ${followUpNoteMaxLength} characters.`).optional()),
    }),
    handler: async (input, context) => {
      const admin = requireAdmin(context);
      return answer(await markFollowedUp(await getDatabase(), { responseId: input.responseId, admin, note: input.note ?? null }));
    },
  }),
  undo: defineAction({
    accept: 'form',
    input: z.object({ responseId }),
    handler: async (input, context) => {
      const admin = requireAdmin(context);
      return answer(await undoFollowUp(await getDatabase(), { responseId: input.responseId, admin }));
    },
  }),
};
