import type { DashboardFilter } from '../../moderate/dashboard-filter.ts';

// The dashboard's filter as SQL conditions, one function per kind of row, so every figure over one
// kind of row selects the same rows. Each returns a condition (never empty) and its arguments.

/** A condition and its arguments. */
export interface SqlCondition {
  where: string;
  args: (string | number)[];
}

type Column = { time: string; locale: string; segment: string };

function conditions(filter: DashboardFilter, column: Column): SqlCondition {
  const parts: [string, string | number][] = [];
  if (filter.from) parts.push([`${column.time} >= ?`, filter.from.getTime()]);
  if (filter.to) parts.push([`${column.time} < ?`, filter.to.getTime()]);
  if (filter.locale !== undefined) parts.push([`${column.locale} = ?`, filter.locale]);
  if (filter.segment !== undefined) parts.push([`${column.segment} = ?`, filter.segment]);
  return { where: parts.length ? parts.map(([condition]) => condition).join(' and ') : '1 = 1', args: parts.map(([, arg]) => arg) };
}

/** A review request's segment (`rq`, contact `c`): that of the answer it followed, else the contact's. */
const requestSegment = 'coalesce((select a.segment from nps_responses a where a.id = rq.response_id), c.segment)';

/** Answers (`r`, contact `c`): answered in the range, the segment kept with the answer, the customer's language. */
export const answerFilterSql = (filter: DashboardFilter) => conditions(filter, { time: 'r.responded_at', locale: 'c.locale', segment: 'r.segment' });

/** Reviews (`rv`, contact `c`, request `rq`): submitted in the range, written in the language, the segment of the answer they followed. */
export const reviewFilterSql = (filter: DashboardFilter) => conditions(filter, { time: 'rv.submitted_at', locale: 'rv.locale', segment: requestSegment });

/** Review requests (`rq`, contact `c`): sent in the range, in the language, the segment of the answer they followed. */
export const requestFilterSql = (filter: DashboardFilter) => conditions(filter, { time: 'rq.sent_at', locale: 'rq.locale', segment: requestSegment });

/** Surveys (`s`, contact `c`): created in the range, in the language; the segment a trigger gave, else its answer's, else the contact's. */
export const surveyFilterSql = (filter: DashboardFilter) =>
  conditions(filter, {
    time: 's.created_at',
    locale: 's.locale',
    segment: 'coalesce(s.segment, (select a.segment from nps_responses a where a.survey_id = s.id), c.segment)',
  });

/** CSAT and CES ratings (`sr`, survey `s`, contact `c`): answered in the range, the survey's language, its segment else the contact's. */
export const ratingFilterSql = (filter: DashboardFilter) => conditions(filter, { time: 'sr.responded_at', locale: 's.locale', segment: 'coalesce(s.segment, c.segment)' });
