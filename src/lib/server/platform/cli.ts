import { basename } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../../config-schema.ts';
import { findSwallowedFlags, readNpmKnowledge, suggestCommandLine } from './npm-flags.ts';

/** A problem with the command's input: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The running command's name, for messages: set by runCommand. */
let commandName = basename(process.argv[1] ?? 'command', '.ts');

/**
 * Parses argv with node:util; unknown options become a UsageError. Flags that npm swallowed
 * (typed before `--`, see npm-flags.ts) never pass unnoticed: a swallowed `--dry-run` makes a
 * dry run, said on stderr, and any other stops the command with the line to type instead. A
 * command without --dry-run refuses a swallowed one too, rather than run for real.
 */
export function parseCommandLine<T extends ParseArgsConfig['options']>(options: T, args = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env) {
  const allOptions = { help: { type: 'boolean', short: 'h' }, ...options } as const;
  const swallowed = Object.keys(env).some((name) => name.startsWith('npm_config_'))
    ? findSwallowedFlags(allOptions, env, readNpmKnowledge(env))
    : { dryRun: false, flags: [] };
  const hasDryRun = options !== undefined && 'dry-run' in options;
  const script = env.npm_lifecycle_event || commandName;
  if (swallowed.flags.length > 0) {
    const typed = swallowed.flags.map((flag) => flag.typed).join(' and ');
    const own = swallowed.flags.length === 1 ? 'its own setting' : 'its own settings';
    throw new UsageError(`npm took ${typed} as ${own}; run: ${suggestCommandLine(script, swallowed, args)}`);
  }
  if (swallowed.dryRun && !hasDryRun) {
    throw new UsageError(`npm took --dry-run as its own setting, and ${commandName} has no dry run: nothing was done`);
  }

  let parsed;
  try {
    parsed = parseArgs({ options: allOptions, args, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (swallowed.dryRun && !(parsed.values as Record<string, unknown>)['dry-run']) {
    (parsed.values as Record<string, unknown>)['dry-run'] = true;
    process.stderr.write(`${commandName}: npm took --dry-run as its own setting, so this is a dry run; the right way is: ${suggestCommandLine(script, swallowed, args)}\n`);
  }
  return parsed;
}

/**
 * Runs a command's main function and maps the outcome to an exit code with one clear line on
 * stderr: 0 success, 1 failure, 2 bad input or configuration. `main` may return an exit code.
 */
export function runCommand(name: string, main: () => Promise<number | void>): void {
  commandName = name;
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name}: ${message.split('\n')[0]}\n`);
      if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exitCode = error instanceof UsageError || error instanceof ConfigError ? 2 : 1;
    },
  );
}
