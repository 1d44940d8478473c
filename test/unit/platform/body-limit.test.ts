import { describe, expect, it } from 'vitest';
import { reviewFormLimits } from '../../../src/lib/collect/review-submission.ts';
import { csvUploadMaxBytes } from '../../../src/lib/listen/import-summary.ts';
import { bodyLimitFor, defaultBodyLimit } from '../../../src/lib/server/platform/body-limit.ts';
import { generateToken } from '../../../src/lib/tokens.ts';

const token = generateToken();
const KB = 1024;

describe('bodyLimitFor', () => {
  it.each([
    [`/r/${token}?_action=review.submit`, reviewFormLimits.postMaxBytes],
    [`/r/${token}/?lang=uk&_action=review.submit`, reviewFormLimits.postMaxBytes],
    ['/_actions/review.submit', reviewFormLimits.postMaxBytes],
    // Any other spelling of the review action falls back to the small default.
    ['/_actions/review%2Esubmit', defaultBodyLimit.maxBytes],
    ['/_actions//review.submit', defaultBodyLimit.maxBytes],
    ['/_actions/review.submit/', defaultBodyLimit.maxBytes],
    ['/_actions/review.submit/_actions/admin.hide', defaultBodyLimit.maxBytes],
    ['/x/_actions/review.submit', defaultBodyLimit.maxBytes],
    // Astro runs the action named after the last /_actions/; only the exact path is the review action.
    ['/_actions/admin.hide/_actions/review.submit', defaultBodyLimit.maxBytes],
    ['/_actions/review.submit%2F_actions%2Fadmin.hide', defaultBodyLimit.maxBytes],
    ['/_actions/review.submit/../admin.hide', defaultBodyLimit.maxBytes],
    ['/_actions/review.submit/%2E%2E/admin.hide', defaultBodyLimit.maxBytes],
    // Dot segments resolve before routing, for Astro as here: this is the review action.
    ['/_actions/admin.hide/../review.submit', reviewFormLimits.postMaxBytes],
    // The RPC path decides which action runs, whatever the query says.
    ['/_actions/review.submit?_action=admin.hide', reviewFormLimits.postMaxBytes],
    // A form post runs the first _action, its name decoded (Astro reads searchParams the same way).
    [`/r/${token}?%5Faction=admin.hide&_action=review.submit`, defaultBodyLimit.maxBytes],
    [`/r/${token}?_action=admin.hide&_action=review.submit`, defaultBodyLimit.maxBytes],
    [`/r/${token}?_action=review%2Esubmit`, reviewFormLimits.postMaxBytes],
    [`/r/${token}/unsubscribe?_action=review.submit`, defaultBodyLimit.maxBytes],
    [`/r/${token.toUpperCase()}?_action=review.submit`, defaultBodyLimit.maxBytes],
    ['/r/not-a-token?_action=review.submit', defaultBodyLimit.maxBytes],
    [`/r/${token}?_action=review.submit2`, defaultBodyLimit.maxBytes],
    [`/r/${token}`, defaultBodyLimit.maxBytes],
    ['/?_action=review.submit', defaultBodyLimit.maxBytes],
    // A target that only resolves to the form against a base is not the form.
    [`//evil.example/r/${token}?_action=review.submit`, defaultBodyLimit.maxBytes],
    [`http://evil.example/r/${token}?_action=review.submit`, defaultBodyLimit.maxBytes],
    [`r/${token}?_action=review.submit`, defaultBodyLimit.maxBytes],
    ['/admin/sign-in', 256 * KB],
    ['/admin/?_action=admin.redact', 256 * KB],
    ['/Admin/%65rase/?_action=adminErasure.erase', 256 * KB],
    // The admin's CSV upload has its own cap; any other admin post keeps the admin's.
    ['/admin/campaign/?_action=adminCampaign.importCsv', csvUploadMaxBytes + 64 * KB],
    ['/admin/campaign?_action=adminCampaign.importCsv', csvUploadMaxBytes + 64 * KB],
    ['/_actions/adminCampaign.importCsv', csvUploadMaxBytes + 64 * KB],
    ['/admin/campaign/?_action=adminCampaign.invite', 256 * KB],
    ['/admin/?_action=adminCampaign.importCsv', 256 * KB],
    ['/admin/campaign/x?_action=adminCampaign.importCsv', 256 * KB],
    ['/api/nps', defaultBodyLimit.maxBytes],
    ['/api/events/ticket-resolved', defaultBodyLimit.maxBytes],
    ['/anything/added/later', defaultBodyLimit.maxBytes],
  ])('%s takes at most the right size', (path, maxBytes) => {
    expect(bodyLimitFor(path).maxBytes).toBe(maxBytes);
  });

  it('keeps the default small', () => {
    expect(defaultBodyLimit.maxBytes).toBeLessThanOrEqual(64 * KB);
  });
});
