import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { addToGroupedScoreCounts, classifyScore, countScores, monthsBetween, percentage, summarizeNps, summarizeScoreCounts } from '../../../src/lib/listen/nps.ts';

describe('NPS', () => {
  it.each([
    [10, 'promoter'],
    [9, 'promoter'],
    [8, 'passive'],
    [7, 'passive'],
    [6, 'detractor'],
    [0, 'detractor'],
  ] as const)('classifies %i as a %s', (score, category) => {
    expect(classifyScore(score)).toBe(category);
  });

  it('gives 30 for 50 % promoters and 20 % detractors', () => {
    expect(summarizeNps([10, 10, 10, 10, 10, 8, 8, 8, 0, 0]).nps).toBe(30);
  });

  it('has no score without answers', () => {
    expect(summarizeNps([]).nps).toBeNull();
  });

  it('matches the hand-computed figures of the shared fixture (38.1)', () => {
    const rows = parse(readFileSync('test/fixtures/nps-responses.csv'), { columns: true }) as { score: string }[];
    const summary = summarizeNps(rows.map((row) => Number(row.score)));
    expect(summary).toEqual({ total: 63, promoters: 38, passives: 11, detractors: 14, nps: 38.1 });
  });

  it('summarizes a 0–10 distribution exactly like the scores it counts', () => {
    const scores = [0, 3, 6, 6, 7, 8, 9, 10, 10, 10, 10];
    expect(countScores(scores)).toEqual([1, 0, 0, 1, 0, 0, 2, 1, 1, 1, 4]);
    expect(summarizeScoreCounts(countScores(scores))).toEqual(summarizeNps(scores));
    expect(summarizeScoreCounts(countScores(scores)).nps).toBe(9.1);
  });

  it('groups distributions by key and refuses scores outside 0–10', () => {
    const groups = new Map<string, number[]>();
    addToGroupedScoreCounts(groups, '2026-05', 10, 3);
    addToGroupedScoreCounts(groups, '2026-05', 0);
    addToGroupedScoreCounts(groups, '2026-06', 8, 2);
    expect(summarizeScoreCounts(groups.get('2026-05')!)).toMatchObject({ total: 4, promoters: 3, detractors: 1, nps: 50 });
    expect(summarizeScoreCounts(groups.get('2026-06')!)).toMatchObject({ total: 2, passives: 2, nps: 0 });
    expect(() => addToGroupedScoreCounts(groups, 'x', 11)).toThrow(/0–10/);
    expect(() => countScores([4.5])).toThrow(/0–10/);
  });

  it('gives percentages with one decimal, and none of nothing', () => {
    expect(percentage(1, 3)).toBe(33.3);
    expect(percentage(0, 0)).toBeNull();
  });

  it('lists every month between two months, across a year end', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-05', '2026-05')).toEqual(['2026-05']);
  });
});
