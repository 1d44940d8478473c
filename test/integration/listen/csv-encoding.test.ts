import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCsvEncoding } from '../../../src/lib/server/listen/nps-import.ts';
import { projectRoot } from '../../helpers/app.ts';

const fixture = (name: string) => createReadStream(join(projectRoot, 'test', 'fixtures', 'spreadsheets', name));
const check = (name: string, encoding?: string) =>
  checkCsvEncoding(fixture(name), { encoding, defaultLocale: 'en' }).then(
    () => 'ok',
    (error: Error) => error.message,
  );

describe('checkCsvEncoding', () => {
  it('accepts each legacy export in its own code page', async () => {
    expect(await check('latvian-excel-windows-1257.csv', 'windows-1257')).toBe('ok');
    expect(await check('polish-excel-windows-1250.csv', 'cp1250')).toBe('ok');
    expect(await check('cyrillic-excel-windows-1251.csv', 'windows-1251')).toBe('ok');
    expect(await check('excel-unicode-text.txt')).toBe('ok');
    expect(await check('excel-csv-utf8.csv')).toBe('ok');
  });

  it('refuses Cyrillic read through a Latin code page, and Latin through a Cyrillic one, naming the right one', async () => {
    expect(await check('cyrillic-excel-windows-1251.csv', 'windows-1257')).toBe('is not windows-1257 text: its letters read as Cyrillic only in windows-1251: use --encoding windows-1251');
    expect(await check('latvian-excel-windows-1257.csv', 'windows-1251')).toBe('is not windows-1251 text: its letters read as Latin only in windows-1257: use --encoding windows-1257');
  });
});
