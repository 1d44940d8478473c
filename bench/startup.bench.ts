#!/usr/bin/env node
// How long a command takes to start: `import --help` run as npm runs it (with
// scripts/node-startup.mjs) and with Node's own module loading, alternated, median of each.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeStartupArgs } from '../src/lib/server/platform/node-startup.ts';

const projectRoot = join(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 9);
/** Target: a command answers `--help` within a second. */
const targetMs = 1000;

function timeOnce(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...args, join('scripts', 'import.ts'), '--help'], { cwd: projectRoot, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`import --help exited with ${result.status}`);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const withHook: number[] = [];
const without: number[] = [];
for (let run = 0; run < runs; run++) {
  withHook.push(timeOnce(nodeStartupArgs(projectRoot)));
  without.push(timeOnce([]));
}
const result = { runs, withStartupHookMs: Math.round(median(withHook)), nodeAloneMs: Math.round(median(without)), targetMs };
console.log(result);

const resultsDir = join(import.meta.dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'startup.json'), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  join(resultsDir, 'startup.md'),
  `## Command start\n\n\`import --help\`, median of ${runs} runs each.\n\n| | ms | target |\n|---|---:|---:|\n| with scripts/node-startup.mjs (as npm runs it) | ${result.withStartupHookMs} | ≤ ${targetMs} ${result.withStartupHookMs <= targetMs ? '✓' : '✗'} |\n| Node's own module loading | ${result.nodeAloneMs} | |\n`,
);
