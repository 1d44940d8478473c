// Load generation for the benches, always in a process of its own: wrk when it is installed (Debian:
// apt-get install wrk; it needs far less CPU than a Node load generator, which matters on two
// cores), else autocannon's command line. Both report requests/s and latency percentiles.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One run's figures. */
export interface LoadRun {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 2xx/3xx, and socket errors. */
  errors: number;
}

/** Which load generator runs. */
export function loadGenerator(): 'wrk' | 'autocannon' {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return 'wrk';
  } catch (error) {
    // wrk --version exits 1 after printing its version.
    return (error as { status?: number }).status === 1 ? 'wrk' : 'autocannon';
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}: ${output.slice(-500)}`))));
  });
}

/** wrk's durations: 512.00us, 1.23ms, 2.01s. */
function wrkMilliseconds(value: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!match) throw new Error(`unreadable wrk duration: ${value}`);
  const amount = Number(match[1]);
  return match[2] === 'us' ? amount / 1000 : match[2] === 'ms' ? amount : match[2] === 's' ? amount * 1000 : amount * 60_000;
}

/** GETs `url` for `seconds` over `connections` connections with `headers`. */
export async function measureLoad(url: string, options: { seconds: number; connections: number; headers: Record<string, string> }): Promise<LoadRun> {
  if (loadGenerator() === 'wrk') {
    const headerArgs = Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const output = await run('wrk', ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', ...headerArgs, url]);
    const perSecond = /Requests\/sec:\s+([\d.]+)/.exec(output);
    const p50 = /^\s+50%\s+(\S+)/m.exec(output);
    const p99 = /^\s+99%\s+(\S+)/m.exec(output);
    if (!perSecond || !p50 || !p99) throw new Error(`unreadable wrk output: ${output}`);
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
    const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
    const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((sum, value) => sum + Number(value), 0) : 0);
    return { requestsPerSecond: Math.round(Number(perSecond[1])), p50Ms: wrkMilliseconds(p50[1]!), p99Ms: wrkMilliseconds(p99[1]!), errors };
  }
  const cli = join(import.meta.dirname, '..', 'node_modules', 'autocannon', 'autocannon.js');
  const headerArgs = Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
  const output = await run(process.execPath, [cli, '-c', String(options.connections), '-d', String(options.seconds), '--json', ...headerArgs, url]);
  const result = JSON.parse(output.slice(output.indexOf('{'))) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number };
  return { requestsPerSecond: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.non2xx };
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux). */
export function processCpuMilliseconds(pid: number): number | null {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return null;
  const fields = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
