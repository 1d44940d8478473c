import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { resultPrefix, type RenderJob, type RenderOutcome } from './render-pages.ts';
import { nodeStartupArgs } from '../platform/node-startup.ts';

/**
 * Runs render-pages.ts in a child process: the pages are rendered away from the server's event
 * loop, and the modules a render needs are loaded in that process only. A long-running server
 * (npm start) keeps one child between publishes (keepRendererWarm), so an approval does not pay
 * for starting Node and loading those modules again; commands start one per publish.
 */

/** What decides whether a kept child can run a job: the same project, code and environment. */
interface Signature {
  projectRoot: string;
  codeHash: string;
  env: NodeJS.ProcessEnv;
}

interface WarmRenderer {
  signature: string;
  child: ChildProcess;
  busy: boolean;
  /** Receives the next result line. */
  onResult: ((outcome: RenderOutcome) => void) | null;
  onOutput: ((line: string) => void) | null;
}

let keepWarm = false;
let warm: WarmRenderer | null = null;

/** Keeps a renderer child between publishes in this process (for npm start), or stops doing so. */
export function keepRendererWarm(enabled = true): void {
  keepWarm = enabled;
  if (!enabled) stopWarmRenderer();
}

function stopWarmRenderer(): void {
  warm?.child.kill();
  warm = null;
}

function signatureOf({ projectRoot, codeHash, env }: Signature): string {
  const relevant = Object.entries(env)
    .filter(([name]) => !name.startsWith('npm_'))
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([projectRoot, codeHash, relevant]);
}

/** Splits a child's output into lines: result lines resolve the job, the others are progress. */
function readLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', onLine);
}

function spawnRenderer(projectRoot: string, env: NodeJS.ProcessEnv, args: string[]): ChildProcess {
  const script = join(projectRoot, 'src', 'lib', 'server', 'publish', 'render-pages.ts');
  return spawn(process.execPath, [...nodeStartupArgs(projectRoot), script, ...args], { cwd: projectRoot, env: { ...env, FORCE_COLOR: '0' }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs one job in a child of its own, which exits afterwards. */
function renderOnce(job: RenderJob, projectRoot: string, env: NodeJS.ProcessEnv, onOutput?: (line: string) => void): Promise<RenderOutcome> {
  return new Promise((resolve) => {
    const child = spawnRenderer(projectRoot, env, [JSON.stringify(job)]);
    child.stdin!.end();
    let outcome: RenderOutcome | null = null;
    const tail: string[] = [];
    readLines(child, (line) => {
      if (line.startsWith(resultPrefix)) outcome = JSON.parse(line.slice(resultPrefix.length)) as RenderOutcome;
      else if (line.trim()) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        onOutput?.(line);
      }
    });
    child.on('error', (error) => resolve({ ok: false, error: error.message }));
    child.on('close', (code) => resolve(outcome ?? { ok: false, error: tail.at(-1)?.trim() || `the renderer stopped with exit code ${code}` }));
  });
}

/** The kept child for this signature, started if needed. */
function warmRendererFor(signature: Signature): WarmRenderer {
  const key = signatureOf(signature);
  if (warm && (warm.signature !== key || warm.child.exitCode !== null || warm.child.signalCode !== null)) stopWarmRenderer();
  if (warm) return warm;
  const child = spawnRenderer(signature.projectRoot, signature.env, ['--serve']);
  const started: WarmRenderer = { signature: key, child, busy: false, onResult: null, onOutput: null };
  readLines(child, (line) => {
    if (line.startsWith(resultPrefix)) started.onResult?.(JSON.parse(line.slice(resultPrefix.length)) as RenderOutcome);
    else if (line.trim()) started.onOutput?.(line);
  });
  child.on('exit', () => {
    started.onResult?.({ ok: false, error: 'the renderer stopped' });
    if (warm === started) warm = null;
  });
  // The server may stop any time: the child must not keep it alive, nor outlive it.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
  warm = started;
  return started;
}

/**
 * Renders a build's pages (see render-pages.ts) in a child process: a kept one when this process
 * asked for it and it is free, else one of its own.
 */
export async function runRenderer(job: RenderJob, projectRoot: string, env: NodeJS.ProcessEnv, onOutput?: (line: string) => void): Promise<RenderOutcome> {
  if (!keepWarm) return renderOnce(job, projectRoot, env, onOutput);
  const renderer = warmRendererFor({ projectRoot, codeHash: job.codeHash, env });
  if (renderer.busy) return renderOnce(job, projectRoot, env, onOutput);
  renderer.busy = true;
  renderer.onOutput = onOutput ?? null;
  try {
    return await new Promise<RenderOutcome>((resolve) => {
      renderer.onResult = resolve;
      renderer.child.stdin!.write(`${JSON.stringify(job)}\n`);
    });
  } finally {
    renderer.busy = false;
    renderer.onResult = null;
    renderer.onOutput = null;
  }
}
