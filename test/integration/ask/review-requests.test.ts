import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renewReviewRequestToken } from '../../../src/lib/server/ask/review-requests.ts';
import { findReviewRequestByToken } from '../../../src/lib/server/collect/review-submissions.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { createReviewLink } from '../../helpers/review-links.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

describe('renewing a review link', () => {
  it('keeps earlier tokens working when asked to, and a plain renewal leaves only the new one', async () => {
    const link = await createReviewLink(temporary.db);
    const second = await renewReviewRequestToken(temporary.db, link.requestId, 30, new Date(), { keepEarlier: true });
    const third = await renewReviewRequestToken(temporary.db, link.requestId, 30, new Date(), { keepEarlier: true });
    for (const token of [link.token, second!, third!]) expect(await findReviewRequestByToken(temporary.db, token)).toMatchObject({ requestId: link.requestId });

    const fresh = await renewReviewRequestToken(temporary.db, link.requestId, 30);
    expect(await findReviewRequestByToken(temporary.db, fresh!)).toMatchObject({ requestId: link.requestId });
    for (const token of [link.token, second!, third!]) expect(await findReviewRequestByToken(temporary.db, token)).toBeNull();
  });
});
