#!/usr/bin/env node
// npm run bench [-- NAME…]: runs each bench/*.bench.ts in turn (all, or those named) and
// collects their Markdown summaries into bench/results/summary.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const benchDir = import.meta.dirname;
const resultsDir = join(benchDir, 'results');
const everyBench = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .sort();

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run bench [-- NAME…]

Runs every benchmark in bench/*.bench.ts (or only those named: ${everyBench.join(', ')}), writes
each one's results to bench/results/NAME.json and NAME.md, and collects the summaries into
bench/results/summary.md. Figures depend on the machine and its load.`);
  process.exit(0);
}

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const benches = everyBench.filter((name) => wanted.length === 0 || wanted.includes(name));

if (benches.length === 0) {
  console.error(`bench: nothing to run${wanted.length ? ` (no bench named ${wanted.join(', ')})` : ''}`);
  process.exit(2);
}

let failed = 0;
for (const name of benches) {
  console.log(`\n== ${name} ==`);
  const result = spawnSync(process.execPath, [join(benchDir, `${name}.bench.ts`)], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    failed++;
    console.error(`bench: ${name} failed with exit code ${result.status}`);
  }
}

// Each bench writes results/NAME.json (raw figures) and results/NAME.md (a short table).
const sections = readdirSync(resultsDir)
  .filter((file) => file.endsWith('.md') && file !== 'summary.md')
  .sort()
  .map((file) => readFileSync(join(resultsDir, file), 'utf8').trim());
const summary = `# Benchmark results\n\nMachine: ${process.platform} ${process.arch}, Node ${process.version}.\n\n${sections.join('\n\n')}\n`;
writeFileSync(join(resultsDir, 'summary.md'), summary);
console.log(`\nSummary written to ${join('bench', 'results', 'summary.md')}${existsSync(resultsDir) ? '' : ''}`);
process.exit(failed ? 1 : 0);
