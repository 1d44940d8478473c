import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeStartupArgs } from '../../../src/lib/server/platform/node-startup.ts';

const projectRoot = join(import.meta.dirname, '..', '..', '..');
const hook = nodeStartupArgs(projectRoot);
const temp = mkdtempSync(join(tmpdir(), 'node-startup-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs an ES module in a child Node with or without the startup hook; returns its stdout. */
function run(source: string, withHook: boolean, cwd = projectRoot) {
  const file = join(cwd, `probe-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  try {
    return spawnSync(process.execPath, [...(withHook ? hook : []), file], { cwd, encoding: 'utf8' });
  } finally {
    rmSync(file);
  }
}

describe('the faster module loading every command starts with', () => {
  it('is passed by every npm script that runs the project\'s own code', () => {
    const scripts: Record<string, string> = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).scripts;
    const ownCode = Object.entries(scripts).filter(([name, line]) => /^node (?!scripts\/postinstall)/.test(line) && name !== 'postinstall');
    expect(ownCode.length).toBeGreaterThan(10);
    for (const [name, line] of ownCode) expect(line, name).toMatch(/^node --import \.\/scripts\/node-startup\.mjs /);
  });

  it('loads the project\'s dependencies to the same exports as Node alone', () => {
    const probe = `
      const names = ['drizzle-orm', 'drizzle-orm/libsql', 'drizzle-orm/sqlite-core', '@libsql/client', 'zod', 'nodemailer', 'csv-parse/sync', 'postal-mime'];
      const out = {};
      for (const name of names) out[name] = Object.keys(await import(name)).sort();
      console.log(JSON.stringify(out));`;
    const plain = run(probe, false);
    const hooked = run(probe, true);
    expect(plain.stderr).toBe('');
    expect(hooked.stderr).toBe('');
    expect(JSON.parse(hooked.stdout)).toEqual(JSON.parse(plain.stdout));
    expect(Object.keys(JSON.parse(hooked.stdout)['drizzle-orm']).length).toBeGreaterThan(50);
  });

  it('keeps each package\'s own module type, and Node\'s own error for a file that is missing', () => {
    const cjs = join(temp, 'node_modules', 'old-style');
    const esm = join(temp, 'node_modules', 'new-style');
    mkdirSync(cjs, { recursive: true });
    mkdirSync(join(esm, 'lib'), { recursive: true });
    writeFileSync(join(cjs, 'package.json'), JSON.stringify({ name: 'old-style' }));
    writeFileSync(join(cjs, 'helper.js'), 'module.exports = { kind: typeof require };');
    writeFileSync(join(cjs, 'index.mjs'), "import helper from './helper.js'; export const kind = helper.kind;");
    writeFileSync(join(esm, 'package.json'), JSON.stringify({ name: 'new-style', type: 'module', exports: { '.': './lib/index.js' } }));
    writeFileSync(join(esm, 'lib', 'helper.js'), 'export const kind = typeof require;');
    writeFileSync(join(esm, 'lib', 'index.js'), "export { kind } from './helper.js'; export const missing = await import('./gone.js').catch((error) => error.code);");
    const probe = `
      const oldStyle = await import('./node_modules/old-style/index.mjs');
      const newStyle = await import('new-style');
      console.log(JSON.stringify([oldStyle.kind, newStyle.kind, newStyle.missing]));`;
    for (const withHook of [false, true]) {
      const result = run(probe, withHook, temp);
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual(['function', 'undefined', 'ERR_MODULE_NOT_FOUND']);
    }
  });
});
