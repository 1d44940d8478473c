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
  return summarizeScoreCounts(countScores(scores));
}

/** Answers per score: index 0…10 holds how many answered that score. */
export type ScoreCounts = readonly number[];

/** An empty 0–10 distribution. */
export function emptyScoreCounts(): number[] {
  return Array.from({ length: 11 }, () => 0);
}

/** How many answers gave each score 0…10. */
export function countScores(scores: Iterable<number>): number[] {
  const counts = emptyScoreCounts();
  for (const score of scores) {
    if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`not an NPS score (0–10): ${score}`);
    counts[score]!++;
  }
  return counts;
}

/** The NPS summary of a 0–10 distribution: the one place the NPS arithmetic lives. */
export function summarizeScoreCounts(counts: ScoreCounts): NpsSummary {
  const summary = { total: 0, promoters: 0, passives: 0, detractors: 0 };
  counts.forEach((howMany, score) => {
    summary.total += howMany;
    summary[`${classifyScore(score)}s`] += howMany;
  });
  const nps = summary.total === 0 ? null : Math.round(((summary.promoters - summary.detractors) / summary.total) * 1000) / 10;
  return { ...summary, nps };
}

/** Adds `howMany` answers of `score` to the 0–10 distribution kept for `key` (a month, a locale…). */
export function addToGroupedScoreCounts(groups: Map<string, number[]>, key: string, score: number, howMany = 1): void {
  const counts = groups.get(key) ?? emptyScoreCounts();
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`not an NPS score (0–10): ${score}`);
  counts[score]! += howMany;
  groups.set(key, counts);
}

/** A share as a percentage with one decimal, or null when there is nothing to divide by. */
export function percentage(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** Every UTC month from `first` to `last` (YYYY-MM, inclusive), so a chart shows empty months as gaps. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = last.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return months;
}
