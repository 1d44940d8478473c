import { parse } from 'csv-parse/sync';
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { giftCodes } from '../../../../db/schema.ts';
import { counted } from '../../plural.ts';

/** A gift-code file that cannot be used; the message is one line for the command's stderr. */
export class GiftCodeFileError extends Error {
  override name = 'GiftCodeFileError';
}

/** The pool holds fewer unused codes than there are incentives to send. */
export class OutOfGiftCodesError extends Error {
  override name = 'OutOfGiftCodesError';
  readonly needed: number;
  readonly available: number;
  constructor(needed: number, available: number) {
    super(
      `not enough gift codes: ${counted(needed, 'incentive needs', 'incentives need')} a code but only ${counted(available, 'unused code is', 'unused codes are')} ` +
        'left; add more with --codes FILE.csv (nothing was sent)',
    );
    this.needed = needed;
    this.available = available;
  }
}

/** The codes of a CSV file, in file order, and the ones it lists more than once. */
export interface ParsedGiftCodes {
  codes: string[];
  duplicates: string[];
}

/** Reads a UTF-8 CSV with a header row and a `code` column; blank codes are an error, repeats are dropped. */
export function parseGiftCodesCsv(text: string): ParsedGiftCodes {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new GiftCodeFileError(`cannot read the CSV: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (rows.length === 0) throw new GiftCodeFileError('the file has no codes (expected a header row with a "code" column, then one code a line)');
  if (!('code' in rows[0]!)) throw new GiftCodeFileError('the file has no "code" column');
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const [index, row] of rows.entries()) {
    const code = row.code ?? '';
    if (!code) throw new GiftCodeFileError(`line ${index + 2}: empty code`);
    if (seen.has(code)) duplicates.push(code);
    else seen.add(code);
  }
  return { codes: [...seen], duplicates };
}

/** What loading codes and handing them out did. */
export interface GiftCodeAssignment {
  /** Codes from the file that were new to the pool. */
  added: number;
  /** Codes from the file the pool already had (assigned or not): never added twice. */
  alreadyKnown: number;
  /** Incentives that received a code now. */
  assigned: number;
  /** Unused codes left afterwards. */
  remaining: number;
}

/**
 * In one transaction: adds new codes to the pool, then gives each listed incentive one unused
 * code. A code is unused when it was never assigned; a code whose incentive was erased stays
 * spent. If the pool is short, the transaction rolls back and nothing is stored or assigned.
 */
export async function assignGiftCodes(db: Database, input: { newCodes: string[]; incentiveIds: number[]; now?: Date }): Promise<GiftCodeAssignment> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    let added = 0;
    for (let start = 0; start < input.newCodes.length; start += 500) {
      const chunk = input.newCodes.slice(start, start + 500);
      const inserted = await tx.insert(giftCodes).values(chunk.map((code) => ({ code }))).onConflictDoNothing({ target: giftCodes.code }).returning({ id: giftCodes.id });
      added += inserted.length;
    }
    const unused = and(isNull(giftCodes.incentiveId), isNull(giftCodes.assignedAt));
    const available = await tx.select({ id: giftCodes.id }).from(giftCodes).where(unused).orderBy(asc(giftCodes.id)).limit(input.incentiveIds.length);
    if (available.length < input.incentiveIds.length) {
      const [total] = await tx.select({ value: count() }).from(giftCodes).where(unused);
      throw new OutOfGiftCodesError(input.incentiveIds.length, total?.value ?? 0);
    }
    for (const [position, incentiveId] of input.incentiveIds.entries()) {
      await tx.update(giftCodes).set({ incentiveId, assignedAt: now }).where(eq(giftCodes.id, available[position]!.id));
    }
    const [left] = await tx.select({ value: count() }).from(giftCodes).where(unused);
    return { added, alreadyKnown: input.newCodes.length - added, assigned: input.incentiveIds.length, remaining: left?.value ?? 0 };
  });
}

/** Whether the business hands out codes at all (any code was ever loaded). */
export async function giftCodesInUse(db: Database): Promise<boolean> {
  const [row] = await db.select({ value: count() }).from(giftCodes);
  return (row?.value ?? 0) > 0;
}

/** Unused codes in the pool. */
export async function countUnusedGiftCodes(db: Database): Promise<number> {
  const [row] = await db.select({ value: count() }).from(giftCodes).where(and(isNull(giftCodes.incentiveId), isNull(giftCodes.assignedAt)));
  return row?.value ?? 0;
}
