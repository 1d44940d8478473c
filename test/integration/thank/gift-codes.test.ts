import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contacts, emailLog, giftCodes, incentives } from '../../../db/schema.ts';
import { assignGiftCodes, GiftCodeFileError, OutOfGiftCodesError, parseGiftCodesCsv } from '../../../src/lib/server/thank/gift-codes.ts';
import { runScript } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { manyReviewers, seedSubmissions } from '../../helpers/incentive-fixtures.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

describe('reading a gift-code file', () => {
  it('takes the "code" column, drops repeats and reports them', () => {
    expect(parseGiftCodesCsv('\uFEFFCode,value\nA-1,10\nB-2,10\n\nA-1,10\n C-3 ,10\n')).toEqual({ codes: ['A-1', 'B-2', 'C-3'], duplicates: ['A-1'] });
  });

  it.each([
    ['no code column', 'voucher\nA-1\n', 'the file has no "code" column'],
    ['an empty code', 'code,note\nA-1,x\n,y\n', 'line 3: empty code'],
    ['no rows', 'code\n', 'the file has no codes'],
  ])('refuses a file with %s', (_case, text, message) => {
    expect(() => parseGiftCodesCsv(text)).toThrow(GiftCodeFileError);
    expect(() => parseGiftCodesCsv(text)).toThrow(message);
  });
});

describe('assigning codes', () => {
  it('gives each incentive its own code, and never hands out a code again, even after an erasure', async () => {
    const seeded = await seedSubmissions(temporary.db, manyReviewers(3));
    const first = await assignGiftCodes(temporary.db, { newCodes: ['A', 'B', 'C', 'D'], incentiveIds: seeded.map((row) => row.incentiveId) });
    expect(first).toEqual({ added: 4, alreadyKnown: 0, assigned: 3, remaining: 1 });
    const assigned = await temporary.db.select().from(giftCodes).where(eq(giftCodes.code, 'A'));
    expect(assigned[0]!.incentiveId).toBe(seeded[0]!.incentiveId);

    // The first reviewer is erased: their code is released from the row but stays spent.
    await temporary.db.delete(contacts).where(eq(contacts.id, seeded[0]!.contactId));
    const [late] = await seedSubmissions(temporary.db, [{ email: 'late@example.com' }]);
    const second = await assignGiftCodes(temporary.db, { newCodes: ['A', 'B'], incentiveIds: [late!.incentiveId] });
    expect(second).toEqual({ added: 0, alreadyKnown: 2, assigned: 1, remaining: 0 });
    const [lateCode] = await temporary.db.select().from(giftCodes).where(eq(giftCodes.incentiveId, late!.incentiveId));
    expect(lateCode!.code).toBe('D');

    const codes = await temporary.db.select().from(giftCodes);
    const holders = codes.map((code) => code.incentiveId).filter((id) => id !== null);
    expect(new Set(holders).size).toBe(holders.length);
  });

  it('stores and assigns nothing when the pool is short', async () => {
    const seeded = await seedSubmissions(temporary.db, manyReviewers(3));
    const attempt = assignGiftCodes(temporary.db, { newCodes: ['A', 'B'], incentiveIds: seeded.map((row) => row.incentiveId) });
    await expect(attempt).rejects.toBeInstanceOf(OutOfGiftCodesError);
    await expect(attempt).rejects.toThrow('3 incentives need a code but only 2 unused codes are left');
    expect(await temporary.db.select().from(giftCodes)).toEqual([]);
  });
});

describe('npm run incentives -- --codes FILE.csv', () => {
  function environment() {
    return { DATABASE_URL: temporary.url, OUTBOX_DIR: join(temporary.directory, 'outbox'), RESEND_API_KEY: '' };
  }
  function codesFile(name: string, codes: string[]) {
    const file = join(temporary.directory, name);
    writeFileSync(file, `code\n${codes.join('\n')}\n`);
    return file;
  }

  it('stops before sending anything when there are not enough codes for everyone', async () => {
    await seedSubmissions(temporary.db, manyReviewers(3));
    const file = codesFile('short.csv', ['GIFT-1', 'GIFT-2', 'GIFT-1']);
    const result = await runScript('incentives', ['--codes', file], environment());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ignored 1 duplicate code');
    expect(result.stderr).toBe(
      'incentives: not enough gift codes: 3 incentives need a code but only 2 unused codes are left; add more with --codes FILE.csv (nothing was sent)\n',
    );
    expect(existsSync(join(temporary.directory, 'outbox'))).toBe(false);
    expect(await temporary.db.select().from(giftCodes)).toEqual([]);
    expect(await temporary.db.select().from(emailLog)).toEqual([]);
    const rows = await temporary.db.select().from(incentives);
    expect(rows.every((row) => row.state === 'pending' && row.attempts === 0)).toBe(true);
  });

  it('sends each reviewer their own code once; a rerun with the same file adds and sends nothing', async () => {
    await seedSubmissions(temporary.db, manyReviewers(3));
    const file = codesFile('codes.csv', ['GIFT-1', 'GIFT-2', 'GIFT-3', 'GIFT-4']);
    const dryRun = await runScript('incentives', ['--codes', file, '--dry-run'], environment());
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('Ledger: pending 3, sending 0, sent 0, failed 0');
    expect(dryRun.stdout).toContain('Would send 3 incentives (en 1, pl 1, ru 1) via the outbox');
    expect(dryRun.stdout).toContain('3 need a gift code; the pool has 0 unused (plus up to 4 from');
    expect(await temporary.db.select().from(giftCodes)).toEqual([]);

    const first = await runScript('incentives', ['--codes', file], environment());
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Gift codes: 4 added, 3 assigned, 1 unused left.');
    const assigned = await temporary.db.select().from(giftCodes).where(eq(giftCodes.code, 'GIFT-1'));
    const outbox = join(temporary.directory, 'outbox');
    expect(readdirSync(outbox)).toHaveLength(3);
    for (const code of await temporary.db.select().from(giftCodes)) {
      if (code.incentiveId === null) continue;
      expect(readFileSync(join(outbox, `incentive_${code.incentiveId}.eml`), 'utf8')).toContain(code.code);
    }
    expect(assigned[0]!.incentiveId).not.toBeNull();

    const second = await runScript('incentives', ['--codes', file], environment());
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Gift codes: 0 added (4 already in the pool, not added again), 0 assigned, 1 unused left.');
    expect(second.stdout).toContain('No incentives to send.');
    expect(readdirSync(outbox)).toHaveLength(3);
  });

  it.each([
    [['--rate', '0'], 'incentives: --rate: expected a positive number, got "0"'],
    [['--codes', '/nonexistent/codes.csv'], 'incentives: --codes: cannot read /nonexistent/codes.csv (ENOENT)'],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const result = await runScript('incentives', args, environment());
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
  });

  it('refuses a file without a code column with one line and exit code 2', async () => {
    const file = join(temporary.directory, 'bad.csv');
    writeFileSync(file, 'voucher\nX\n');
    const result = await runScript('incentives', ['--codes', file], environment());
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`incentives: --codes ${file}: the file has no "code" column\n`);
  });
});
