import { describe, expect, it } from 'vitest';
import { parseQueueFilter } from '../../../src/lib/moderate/queue-filter.ts';
import {
  describeModerationFailure,
  failedReviewId,
  moderationDoneLocation,
  readQueueNotice,
  type ModerationDone,
} from '../../../src/lib/moderate/queue-notice.ts';

const unfiltered = parseQueueFilter(new URLSearchParams(''));
const pending = parseQueueFilter(new URLSearchParams('status=pending'));

/** The notice a moderator sees after the redirect a done action leads to. */
function noticeAfter(done: ModerationDone, filter = unfiltered) {
  const location = new URL(moderationDoneLocation(done, filter), 'http://localhost');
  return readQueueNotice(location.searchParams);
}

describe('after a moderation form succeeds', () => {
  it.each<[ModerationDone, string, string]>([
    [{ kind: 'approved', reviewId: 6 }, '/admin/?done=approve&review=6#review-6', 'Review 6 approved.'],
    [{ kind: 'rejected', reviewId: 7 }, '/admin/?done=reject&review=7#review-7', 'Review 7 rejected.'],
    [{ kind: 'hidden', reviewId: 2 }, '/admin/?done=hide&review=2#review-2', 'Review 2 hidden from the wall.'],
    [{ kind: 'featured', reviewId: 3 }, '/admin/?done=feature&review=3#review-3', 'Review 3 featured.'],
    [{ kind: 'unfeatured', reviewId: 1 }, '/admin/?done=unfeature&review=1#review-1', 'Review 1 no longer featured.'],
    [{ kind: 'redacted', reviewId: 8 }, '/admin/?done=redact&review=8#review-8', 'Personal data removed from review 8.'],
  ])('%j redirects to %s and says "%s"', (done, location, text) => {
    expect(moderationDoneLocation(done, unfiltered)).toBe(location);
    expect(noticeAfter(done)).toEqual({ kind: 'success', text });
  });

  it('keeps the filter and page the moderator was on', () => {
    const filter = parseQueueFilter(new URLSearchParams('status=pending&rating=5&page=2'));
    expect(moderationDoneLocation({ kind: 'approved', reviewId: 6 }, filter)).toBe('/admin/?status=pending&rating=5&page=2&done=approve&review=6#review-6');
  });

  it('counts a bulk approval, and names the ticked reviews left pending because they changed', () => {
    const all: ModerationDone = { kind: 'approved-selected', approved: [2, 3], skipped: [], changed: [] };
    expect(moderationDoneLocation(all, pending)).toBe('/admin/?status=pending&done=approveSelected&review=2&count=2#review-2');
    expect(noticeAfter(all, pending)).toEqual({ kind: 'success', text: '2 reviews approved.' });

    const oneChanged: ModerationDone = { kind: 'approved-selected', approved: [3], skipped: [5], changed: [4] };
    expect(moderationDoneLocation(oneChanged, pending)).toBe('/admin/?status=pending&done=approveSelected&review=3&count=1&changed=4#review-3');
    expect(noticeAfter(oneChanged)).toEqual({
      kind: 'error',
      text: '1 review approved. Review 4 was not approved: it has changed since you loaded the page — please read it again.',
    });

    const noneApproved: ModerationDone = { kind: 'approved-selected', approved: [], skipped: [], changed: [4, 9] };
    expect(moderationDoneLocation(noneApproved, unfiltered)).toBe('/admin/?done=approveSelected&review=4&count=0&changed=4%2C9#review-4');
    expect(noticeAfter(noneApproved)?.text).toBe(
      '0 reviews approved. Reviews 4, 9 were not approved: they have changed since you loaded the page — please read them again.',
    );
  });
});

describe('the notice read from the address', () => {
  it('is none without a known action', () => {
    expect(readQueueNotice(new URLSearchParams(''))).toBeNull();
    expect(readQueueNotice(new URLSearchParams('done=delete&review=1'))).toBeNull();
    expect(readQueueNotice(new URLSearchParams('done=toString&review=1'))).toBeNull();
  });

  it('takes only digits from the address, so a crafted link cannot put words on the page', () => {
    const notice = readQueueNotice(new URLSearchParams('done=approve&review=<b>6</b> was hacked'));
    expect(notice).toEqual({ kind: 'success', text: 'Review 6 approved.' });
    const bulk = readQueueNotice(new URLSearchParams('done=approveSelected&count=2 million&changed=4,evil,5'));
    expect(bulk?.text).toBe('2 reviews approved. Reviews 4, 5 were not approved: they have changed since you loaded the page — please read them again.');
    // Changed reviews only matter after a bulk approval.
    expect(readQueueNotice(new URLSearchParams('done=approve&review=6&changed=4'))).toEqual({ kind: 'success', text: 'Review 6 approved.' });
  });
});

describe('after a moderation form fails', () => {
  it('shows the field messages of refused input', () => {
    expect(describeModerationFailure({ status: 400, message: 'invalid', fields: { reason: ['Choose a content-policy reason.'], version: undefined } })).toEqual({
      status: 400,
      notice: { kind: 'error', text: 'Choose a content-policy reason.' },
    });
    expect(describeModerationFailure({ status: 400, message: 'invalid', fields: {} }).notice.text).toBe('Please check the form.');
  });

  it('shows the action’s message with its status, and never answers a failure with a success status', () => {
    expect(describeModerationFailure({ status: 409, message: 'That review is approved now; reload the queue.' })).toEqual({
      status: 409,
      notice: { kind: 'error', text: 'That review is approved now; reload the queue.' },
    });
    expect(describeModerationFailure({ status: 200, message: '' })).toEqual({ status: 500, notice: { kind: 'error', text: 'Something went wrong.' } });
  });

  it('knows which review the failed form was about', () => {
    const form = new FormData();
    form.set('reviewId', '12');
    expect(failedReviewId(form)).toBe(12);
    form.set('reviewId', '-1');
    expect(failedReviewId(form)).toBeNull();
    expect(failedReviewId(new FormData())).toBeNull();
    expect(failedReviewId(null)).toBeNull();
  });
});
