import { parseDayRange } from '../listen/survey.ts';

/** Which answers and reviews the dashboard counts: a UTC day range, a segment, a language; each optional. */
export interface DashboardFilter {
  /** First instant counted (inclusive). */
  from?: Date;
  /** First instant no longer counted (exclusive). */
  to?: Date;
  segment?: string;
  locale?: string;
}

/** The filter as the dashboard's address carries it (a GET form, so a filtered view is a link to share). */
export interface DashboardQuery {
  from: string;
  to: string;
  segment: string;
  locale: string;
}

/** Reads the dashboard's filter from its address; a bad range is reported and left out, never guessed. */
export function parseDashboardQuery(params: URLSearchParams): { query: DashboardQuery; filter: DashboardFilter; error: string | null } {
  const query = {
    from: (params.get('from') ?? '').trim(),
    to: (params.get('to') ?? '').trim(),
    segment: (params.get('segment') ?? '').trim(),
    locale: (params.get('locale') ?? '').trim(),
  };
  const filter: DashboardFilter = {};
  let error: string | null = null;
  const range = parseDayRange(query.from, query.to);
  if (range && 'error' in range) error = range.error;
  else if (range) Object.assign(filter, range);
  if (query.segment) filter.segment = query.segment;
  if (query.locale) filter.locale = query.locale;
  return { query, filter, error };
}

/** Whether any filter is set. */
export function isFiltered(filter: DashboardFilter): boolean {
  return filter.from !== undefined || filter.to !== undefined || filter.segment !== undefined || filter.locale !== undefined;
}
