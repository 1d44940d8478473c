import { describe, expect, it } from 'vitest';
import { isScoreOnScale, scaleScores, summarizeCes, summarizeCsat } from '../../../src/lib/listen/survey-kinds.ts';

describe('survey kinds', () => {
  it.each([
    ['nps', 0, 10],
    ['csat', 1, 5],
    ['ces', 1, 7],
  ] as const)('%s takes scores %i to %i and nothing else', (kind, min, max) => {
    expect(scaleScores(kind)).toEqual(Array.from({ length: max - min + 1 }, (_, index) => min + index));
    for (let score = -1; score <= 11; score++) expect(isScoreOnScale(kind, score), String(score)).toBe(score >= min && score <= max);
    expect(isScoreOnScale(kind, 2.5)).toBe(false);
  });

  it('counts CSAT as the share of 4 and 5 answers', () => {
    // 1×1, 2×2, 1×3, 3×4, 3×5: 6 of 10 satisfied.
    expect(summarizeCsat([0, 1, 2, 1, 3, 3])).toEqual({ total: 10, satisfied: 6, csat: 60 });
    expect(summarizeCsat([0, 0, 0, 2])).toEqual({ total: 2, satisfied: 0, csat: 0 });
    expect(summarizeCsat([])).toEqual({ total: 0, satisfied: 0, csat: null });
  });

  it('counts CES as the average score', () => {
    // 2×1 and 1×7: (2 + 7) / 3 = 3.
    expect(summarizeCes([0, 2, 0, 0, 0, 0, 0, 1])).toEqual({ total: 3, ces: 3 });
    expect(summarizeCes([0, 0, 0, 0, 0, 1, 1])).toEqual({ total: 2, ces: 5.5 });
    expect(summarizeCes([])).toEqual({ total: 0, ces: null });
  });
});
