import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../../helpers/app.ts';

const out = mkdtempSync(join(tmpdir(), 'review-wall-screenshots-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run screenshots', () => {
  it('photographs the wall, the review form on a phone and the signed-in moderation queue from the demo', { timeout: 300_000 }, async () => {
    const result = await runScript('screenshots', ['--out', out], {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['admin-queue.png', 'review-form.png', 'wall.png']);
    const size = async (name: string) => {
      const { format, width, height } = await sharp(join(out, name)).metadata();
      return { format, width, height };
    };
    expect(await size('wall.png')).toEqual({ format: 'png', width: 1280, height: 860 });
    expect(await size('admin-queue.png')).toEqual({ format: 'png', width: 1280, height: 860 });
    // A 412 × 839 phone screen at twice the pixels.
    expect(await size('review-form.png')).toEqual({ format: 'png', width: 824, height: 1678 });
  });

  it('says what it does with --help, and refuses an unknown flag with one line', async () => {
    const help = await runScript('screenshots', ['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run screenshots/);
    const wrong = await runScript('screenshots', ['--bogus'], {});
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
  });
});
