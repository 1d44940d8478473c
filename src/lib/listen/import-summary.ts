import { counted } from '../plural.ts';
import type { ImportReport, RejectedRow } from '../server/listen/nps-import.ts';

/** The largest CSV the admin's upload accepts (the body limit of its route, see body-limit.ts). */
export const csvUploadMaxBytes = 10 * 1024 * 1024;

/** One rejected row as `npm run import` prints it: `FILE:LINE: reason`. */
export function describeRejectedRow(file: string, row: RejectedRow): string {
  return `${file}:${row.line}: ${row.reason}`;
}

/**
 * What an import did, in the words `npm run import` prints and the admin's upload shows: the
 * counts, then (when any) the rows left out because their customers were erased on request.
 */
export function describeImportReport(report: ImportReport, dryRun: boolean): string[] {
  const verb = dryRun ? 'Dry run, nothing written: would add' : 'Added';
  const lines = [
    `${verb} ${counted(report.answersAdded, 'answer')} and ${counted(report.contactsAdded, 'new customer')}. ` +
      `Rows: ${report.rows}, added: ${report.answersAdded}, duplicates: ${report.duplicates}, rejected: ${report.rejected.length}.`,
  ];
  if (report.erased > 0) {
    lines.push(`Left out ${counted(report.erased, 'row')} of customers erased on request (npm run erase -- --allow-again EMAIL if one of them asks to be included again).`);
  }
  return lines;
}
