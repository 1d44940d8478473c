import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { classifyScore, summarizeNps } from '../../src/lib/nps.ts';

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
});
