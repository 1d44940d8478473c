import { describe, expect, it } from 'vitest';
import {
  audienceRule,
  collectionStatement,
  describeCollection,
  incentiveStatement,
  reviewsNoun,
  showsAverageRating,
  wallHeading,
  type PublishedInvitation,
} from '../../../src/lib/publish/collection.ts';
import { incentiveDisclosure } from '../../../src/lib/publish/review-presentation.ts';

const promoters = (sentAt: string, incentive: string | null = 'a $10 gift card'): PublishedInvitation => ({ audience: 'promoters', sentAt: new Date(sentAt), incentive });
const everyone = (sentAt: string, incentive: string | null = 'a $10 gift card'): PublishedInvitation => ({ audience: 'all', sentAt: new Date(sentAt), incentive });

const onlyPromoters = 'These are selected testimonials: we invited only customers who said they would recommend us (9 or 10 out of 10).';
const onlyEveryone = 'We invited every customer who answered our survey, whatever their score.';

// Each mix of invitations behind the published reviews, as the wall must describe it. The config
// is no input at all: "config promoters + npm run invite -- --audience all" publishes reviews whose
// requests say "all", which is the "only all" row; "config all + --audience promoters" is "only promoters".
describe.each([
  {
    mix: 'no published reviews',
    invitations: [],
    kind: 'empty',
    average: false,
    noun: 'Testimonials',
    heading: 'Testimonials for Acme Helpdesk',
    statement: 'No reviews are published yet.',
  },
  {
    mix: 'only promoters (also: config "all" + --audience promoters)',
    invitations: [promoters('2026-03-02T09:00:00Z'), promoters('2026-05-20T09:00:00Z')],
    kind: 'selected',
    average: false,
    noun: 'Selected testimonials',
    heading: 'Selected testimonials for Acme Helpdesk',
    statement: onlyPromoters,
  },
  {
    mix: 'only all respondents (also: config "promoters" + --audience all)',
    invitations: [everyone('2026-03-02T09:00:00Z'), everyone('2026-07-20T09:00:00Z')],
    kind: 'everyone',
    average: true,
    noun: 'Reviews',
    heading: 'Reviews of Acme Helpdesk',
    statement: onlyEveryone,
  },
  {
    mix: 'promoters from March to May, then everyone from June',
    invitations: [everyone('2026-06-03T09:00:00Z'), promoters('2026-03-02T09:00:00Z'), promoters('2026-05-31T23:00:00Z'), everyone('2026-07-20T09:00:00Z'), promoters('2026-04-10T09:00:00Z')],
    kind: 'selected',
    average: false,
    noun: 'Selected testimonials',
    heading: 'Selected testimonials for Acme Helpdesk',
    statement:
      'These are selected testimonials: promoters invited from March to May 2026, all respondents since June 2026. Promoters are customers who said they would recommend us (9 or 10 out of 10).',
  },
  {
    mix: 'everyone in December and January, then promoters from March',
    invitations: [everyone('2025-12-05T09:00:00Z'), everyone('2026-01-15T09:00:00Z'), promoters('2026-03-02T09:00:00Z')],
    kind: 'selected',
    average: false,
    noun: 'Selected testimonials',
    heading: 'Selected testimonials for Acme Helpdesk',
    statement:
      'These are selected testimonials: all respondents invited from December 2025 to January 2026, promoters since March 2026. Promoters are customers who said they would recommend us (9 or 10 out of 10).',
  },
  {
    mix: 'a single all-respondents run among promoters',
    invitations: [promoters('2026-03-02T09:00:00Z'), everyone('2026-04-10T09:00:00Z'), promoters('2026-06-01T09:00:00Z')],
    kind: 'selected',
    average: false,
    noun: 'Selected testimonials',
    heading: 'Selected testimonials for Acme Helpdesk',
    statement:
      'These are selected testimonials: promoters invited in March 2026, all respondents in April 2026, promoters since June 2026. Promoters are customers who said they would recommend us (9 or 10 out of 10).',
  },
])('$mix', ({ invitations, kind, average, noun, heading, statement }) => {
  const collection = describeCollection(invitations);

  it(`is "${kind}"`, () => {
    expect(collection.kind).toBe(kind);
  });

  it(average ? 'allows an average rating' : 'allows no average rating', () => {
    expect(showsAverageRating(collection)).toBe(average);
  });

  it('names the reviews and the wall accordingly', () => {
    expect(reviewsNoun(collection)).toBe(noun);
    expect(wallHeading(collection, 'Acme Helpdesk')).toBe(heading);
  });

  it('states whom the business invited', () => {
    expect(collectionStatement(collection)).toBe(statement);
  });
});

describe('describeCollection', () => {
  it('orders the periods by when the invitations went out, whatever order the reviews come in', () => {
    const collection = describeCollection([everyone('2026-06-03T09:00:00Z'), promoters('2026-03-02T09:00:00Z'), promoters('2026-05-31T23:00:00Z')]);
    expect(collection).toEqual({
      kind: 'selected',
      audiences: [
        { value: 'promoters', from: new Date('2026-03-02T09:00:00Z'), to: new Date('2026-05-31T23:00:00Z') },
        { value: 'all', from: new Date('2026-06-03T09:00:00Z'), to: new Date('2026-06-03T09:00:00Z') },
      ],
      incentives: [{ value: 'a $10 gift card', from: new Date('2026-03-02T09:00:00Z'), to: new Date('2026-06-03T09:00:00Z') }],
    });
  });

  it('dates by UTC month, as the rest of the public pages do', () => {
    const collection = describeCollection([promoters('2026-05-31T23:30:00Z'), everyone('2026-06-01T00:30:00Z')]);
    expect(collection.kind !== 'empty' && audienceRule(collection.audiences)).toBe('promoters invited in May 2026, all respondents since June 2026');
  });
});

describe('what the invitations promised', () => {
  it('names the one incentive every published review was promised', () => {
    expect(incentiveStatement(describeCollection([promoters('2026-03-02T09:00:00Z', 'a mug'), everyone('2026-06-02T09:00:00Z', 'a mug')]))).toBe(
      'every reviewer was offered a mug whatever their rating',
    );
  });

  it('names each incentive with the time it was promised, when it changed', () => {
    const collection = describeCollection([
      promoters('2026-03-02T09:00:00Z', 'a $10 gift card'),
      promoters('2026-04-20T09:00:00Z', 'a $10 gift card'),
      everyone('2026-06-02T09:00:00Z', 'a $20 gift card'),
    ]);
    expect(incentiveStatement(collection)).toBe(
      'every reviewer was offered the thank-you gift their invitation promised, whatever their rating: a $10 gift card if invited from March to April 2026, a $20 gift card if invited since June 2026',
    );
  });

  it('never names a gift for invitations sent before the promise was recorded', () => {
    expect(incentiveStatement(describeCollection([promoters('2026-03-02T09:00:00Z', null)]))).toBe(
      'every reviewer was offered the thank-you gift their invitation promised, whatever their rating',
    );
    expect(
      incentiveStatement(describeCollection([promoters('2026-01-02T09:00:00Z', null), promoters('2026-03-02T09:00:00Z', 'a mug')])),
    ).toBe('every reviewer was offered the thank-you gift their invitation promised, whatever their rating: a thank-you gift if invited in January 2026, a mug if invited since March 2026');
    expect(incentiveDisclosure(null)).toBe('Offered a thank-you gift for writing an honest review, regardless of rating.');
  });

  it('says nothing about a gift while nothing is published', () => {
    expect(incentiveStatement(describeCollection([]))).toBeNull();
  });
});
