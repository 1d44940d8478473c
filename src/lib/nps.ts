/** NPS categories: promoters 9–10, passives 7–8, detractors 0–6. */
export type NpsCategory = 'promoter' | 'passive' | 'detractor';

/** The category of one 0–10 score. */
export function classifyScore(score: number): NpsCategory {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

/** Counts and the Net Promoter Score (−100…100, one decimal) of a set of scores. */
export interface NpsSummary {
  total: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** % promoters − % detractors, rounded to one decimal; null when there are no answers. */
  nps: number | null;
}

/** Summarises scores: 50 % promoters and 20 % detractors give an NPS of 30. */
export function summarizeNps(scores: Iterable<number>): NpsSummary {
  const summary = { total: 0, promoters: 0, passives: 0, detractors: 0 };
  for (const score of scores) {
    summary.total++;
    summary[`${classifyScore(score)}s`]++;
  }
  const nps = summary.total === 0 ? null : Math.round(((summary.promoters - summary.detractors) / summary.total) * 1000) / 10;
  return { ...summary, nps };
}
