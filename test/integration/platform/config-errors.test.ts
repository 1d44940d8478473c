import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnvironment, projectRoot, runNpm } from '../../helpers/app.ts';
import { testConfig, writeConfigVariant } from '../../helpers/config.ts';
import { freePort } from '../../helpers/sqld.ts';

// A mistake in the config file stops every command with one line naming the file, where (key, or
// line and column) and what is wrong, and exit code 2: no stack trace, no key silently ignored.

/** The 1-based number of the first line of `text` that contains `fragment`. */
function lineOf(text: string, fragment: string): number {
  return text.split('\n').findIndex((line) => line.includes(fragment)) + 1;
}

describe('a broken configuration file', () => {
  let directory: string;
  let env: Record<string, string>;
  /** Each broken file, and the line every command must print about it (after "COMMAND: "). */
  const broken: Record<string, { file: string; line: string | RegExp }> = {};

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'review-wall-broken-config-'));
    env = { ...isolatedEnvironment(directory, await freePort()) };
    const variant = (name: string, change: Parameters<typeof writeConfigVariant>[1], line: string) => {
      const file = writeConfigVariant(directory, change, `${name}.ts`);
      broken[name] = { file, line: `${file}: ${line}` };
    };
    variant('top-level-typo', (config) => ({ ...config, publsh: { automaticallyAfterApproval: true } }), 'publsh: unknown key; did you mean "publish"?');
    variant('nested-typo', (config) => ({ ...config, publish: { automaticallyAfterAproval: true } }), 'publish.automaticallyAfterAproval: unknown key; did you mean "automaticallyAfterApproval"?');
    variant(
      'deep-typo',
      (config) => ({ ...config, business: { ...config.business, colors: { primary: '#1f5fbf', acent: '#b45309' } } }),
      'business.colors.acent: unknown key; did you mean "accent"?',
    );
    variant('wrong-type', (config) => ({ ...config, tokens: { lifetimeDays: '30' } }), 'tokens.lifetimeDays: Invalid input: expected number, received string');
    variant('wrong-value', (config) => ({ ...config, publish: { automaticallyAfterApproval: 'yes' } }), 'publish.automaticallyAfterApproval: Invalid input: expected boolean, received string');

    // The commonest slip when editing by hand: a comma left out between two sections.
    const good = readFileSync(writeConfigVariant(directory, (config) => config, 'good.ts'), 'utf8');
    const missingComma = join(directory, 'missing-comma.ts');
    writeFileSync(missingComma, good.replace(/},\n(\s*)"itemReviewed"/, '}\n$1"itemReviewed"'));
    const commaLine = lineOf(good, '"itemReviewed"');
    broken['missing-comma'] = {
      file: missingComma,
      line: `${missingComma}:${commaLine}:3: syntax error: Expected ',', got 'string literal' (is a comma missing at the end of line ${commaLine - 1}?)`,
    };

    const unclosed = join(directory, 'unclosed.ts');
    writeFileSync(unclosed, good.replace(/};\n$/, '\n'));
    broken.unclosed = { file: unclosed, line: new RegExp(`^${unclosed}:\\d+(:\\d+)?: syntax error: .+$`) };

    const throws = join(directory, 'throws.ts');
    writeFileSync(throws, `const settings = ${JSON.stringify(testConfig)};\nconst shop = process.env.SHOP_THAT_IS_NOT_SET;\nexport default { ...settings, business: { ...settings.business, name: shop.trim() } };\n`);
    broken.throws = { file: throws, line: new RegExp(`^${throws}:3:\\d+: fails while loading: TypeError: Cannot read properties of undefined \\(reading 'trim'\\)$`) };

    const noDefault = join(directory, 'no-default.ts');
    writeFileSync(noDefault, `export const config = ${JSON.stringify(testConfig)};\n`);
    broken['no-default'] = { file: noDefault, line: `${noDefault}: no default export (expected "export default defineReviewWallConfig({ … })")` };
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** Asserts one line on stderr, exactly `expected` (after the prefix), and exit code 2. */
  function expectOneLine(result: { code: number | null; stderr: string }, prefix: string, expected: string | RegExp) {
    expect(result.stderr.endsWith('\n'), result.stderr).toBe(true);
    const lines = result.stderr.slice(0, -1).split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]!.startsWith(prefix), result.stderr).toBe(true);
    const line = lines[0]!.slice(prefix.length);
    if (typeof expected === 'string') expect(line).toBe(expected);
    else expect(line).toMatch(expected);
    expect(result.code).toBe(2);
  }

  it.each(['top-level-typo', 'nested-typo', 'deep-typo', 'wrong-type', 'wrong-value', 'missing-comma', 'unclosed', 'throws', 'no-default'])(
    'stops npm run invite with one line: %s',
    async (name) => {
      const { file, line } = broken[name]!;
      const result = await runNpm('invite', ['--', '--dry-run'], { ...env, REVIEW_WALL_CONFIG: file });
      expectOneLine(result, 'invite: ', line);
    },
  );

  // Every command reads the config before it does anything else.
  it.each([
    ['start', [], 'start', 'missing-comma'],
    ['publish', [], 'publish', 'nested-typo'],
    ['import', ['--', join(projectRoot, 'test', 'fixtures', 'contacts.csv')], 'import', 'throws'],
    ['admin', ['--', 'create', 'new.admin@example.com'], 'admin', 'deep-typo'],
    ['incentives', ['--', '--dry-run'], 'incentives', 'wrong-type'],
    ['erase', ['--', 'someone@example.com', '--dry-run'], 'erase', 'no-default'],
    ['demo', ['--', '--dry-run'], 'demo', 'top-level-typo'],
    ['db:migrate', [], 'db:migrate', 'unclosed'],
  ])('stops npm run %s with one line', async (script, args, prefix, name) => {
    const { file, line } = broken[name]!;
    const result = await runNpm(script, args, { ...env, REVIEW_WALL_CONFIG: file, ADMIN_PASSWORD: 'a long enough password 42' }, { timeoutMs: 60_000 });
    expectOneLine(result, `${prefix}: `, line);
  });

  it.each(['missing-comma', 'nested-typo', 'throws'])('stops the site build (npm run build) with one line: %s', async (name) => {
    const { file, line } = broken[name]!;
    const result = await runNpm('build', [], { ...env, REVIEW_WALL_CONFIG: file, REVIEW_WALL_BUILD_DIR: join(directory, 'build') });
    expectOneLine(result, '', line);
  });
});
