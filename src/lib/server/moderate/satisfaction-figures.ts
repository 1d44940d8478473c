import type { Database } from '../../../../db/client.ts';
import { summarizeCes, summarizeCsat, type CesSummary, type CsatSummary } from '../../listen/survey-kinds.ts';
import type { DashboardFilter } from '../../moderate/dashboard-filter.ts';
import { ratingFilterSql } from './dashboard-filter-sql.ts';

/** CSAT over one UTC month of answers. */
export interface MonthlyCsat extends CsatSummary {
  /** YYYY-MM. */
  month: string;
}

/** CES over one UTC month of answers. */
export interface MonthlyCes extends CesSummary {
  /** YYYY-MM. */
  month: string;
}

/** The dashboard's CSAT and CES figures: over the whole range, and per month (oldest first, months without answers left out). */
export interface SatisfactionFigures {
  csat: CsatSummary & { monthly: MonthlyCsat[] };
  ces: CesSummary & { monthly: MonthlyCes[] };
}

/**
 * CSAT (share of 4–5 answers) and CES (average) from the answers to our CSAT and CES surveys
 * that `filter` selects (date range, segment, language), like every other dashboard figure.
 */
export async function loadSatisfactionFigures(db: Database, filter: DashboardFilter = {}): Promise<SatisfactionFigures> {
  const { where, args } = ratingFilterSql(filter);
  const { rows } = await db.$client.execute({
    sql: `select sr.kind, strftime('%Y-%m', sr.responded_at / 1000, 'unixepoch') as month, sr.score, count(*) as answers
          from survey_ratings sr join surveys s on s.id = sr.survey_id join contacts c on c.id = sr.contact_id
          where ${where}
          group by sr.kind, month, sr.score`,
    args,
  });
  const counts = { csat: new Map<string, number[]>(), ces: new Map<string, number[]>() };
  const totals = { csat: [] as number[], ces: [] as number[] };
  for (const row of rows) {
    const kind = row.kind === 'csat' || row.kind === 'ces' ? row.kind : null;
    if (!kind) continue;
    const score = Number(row.score);
    const answers = Number(row.answers);
    const month = String(row.month);
    const byMonth = counts[kind].get(month) ?? [];
    byMonth[score] = (byMonth[score] ?? 0) + answers;
    counts[kind].set(month, byMonth);
    totals[kind][score] = (totals[kind][score] ?? 0) + answers;
  }
  const months = (map: Map<string, number[]>) => [...map].sort(([a], [b]) => a.localeCompare(b));
  return {
    csat: { ...summarizeCsat(totals.csat), monthly: months(counts.csat).map(([month, scores]) => ({ month, ...summarizeCsat(scores) })) },
    ces: { ...summarizeCes(totals.ces), monthly: months(counts.ces).map(([month, scores]) => ({ month, ...summarizeCes(scores) })) },
  };
}
