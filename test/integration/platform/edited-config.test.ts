import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandEnvironment, copyProject } from '../../helpers/app.ts';

// A business edits review-wall.config.ts, then runs `npm test`: the tests must not depend on what
// it wrote. In a copy of the project whose own config is another business entirely (name,
// colours, audience, languages, item type), config-sensitive tests still pass and the
// end-to-end suite loads.

const otherBusiness = `import { defineReviewWallConfig } from './src/lib/config-schema.ts';

export default defineReviewWallConfig({
  business: { name: 'Bērziņa Maiznīca', website: 'https://maiznica.example', colors: { primary: '#7a1fbf', accent: '#0f766e' } },
  itemReviewed: { type: 'LocalBusiness', name: 'Bērziņa Maiznīca' },
  locales: { default: 'lv', enabled: ['lv', 'en'] },
  invite: { audience: 'all' },
  incentive: { text: 'a free loaf', translations: { lv: 'bezmaksas klaipu' } },
  tokens: { lifetimeDays: 14 },
  publish: { automaticallyAfterApproval: true },
});
`;

/** Tests that read the business name, colours, audience, languages or item type. */
const configSensitive = [
  'test/unit/config.test.ts',
  'test/unit/ask/invite-email.test.ts',
  'test/integration/thank/incentives.test.ts',
  'test/integration/ask/unsubscribe.test.ts',
];

/** Runs a Node tool of the project in `cwd`, as a shell with no REVIEW_WALL_CONFIG would. */
function run(cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const env = commandEnvironment({});
  delete env.REVIEW_WALL_CONFIG;
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => done({ code, output: output.replace(/\u001b\[[0-9;]*m/g, '') }));
  });
}

describe('after a business edits review-wall.config.ts', () => {
  let copy: string;
  beforeAll(() => {
    copy = copyProject({ tests: true });
    writeFileSync(join(copy, 'review-wall.config.ts'), otherBusiness);
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('the config-sensitive tests still pass', { timeout: 900_000 }, async () => {
    const result = await run(copy, [join('node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=dot', ...configSensitive]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(new RegExp(`Test Files\\s+${configSensitive.length} passed`));
  });

  it('the end-to-end tests load', { timeout: 300_000 }, async () => {
    const result = await run(copy, [join('node_modules', '@playwright', 'test', 'cli.js'), 'test', '--list']);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/Total: [1-9]\d* tests? in \d+ files?/);
    expect(result.output).toContain('collect.spec.ts');
  });
});
