// CSV injection: a cell that starts like a formula is run by a spreadsheet that opens the file.
// Exports guard such cells with a leading apostrophe (src/lib/server/moderate/export.ts); imports
// take that apostrophe off again, so an export read back stores what the customer wrote.

/** First characters that make a spreadsheet read a cell as a formula (full-width forms too: Apple Numbers folds them). */
export const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A cell as an export guarded it: an apostrophe before what would start a formula. */
const guarded = new RegExp(`^'(?=${formulaStart.source.slice(1)})`);

/**
 * The text a guarded cell stood for: `'=SUM(A1)` reads as `=SUM(A1)`, `'-5 stars` as `-5 stars`.
 * Any other cell, an apostrophe before ordinary text included, is left as it is.
 */
export function unguardFormula(cell: string): string {
  return cell.replace(guarded, '');
}
