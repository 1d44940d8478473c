import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../../config-schema.ts';

/** A problem with the command's input: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses argv with node:util; unknown options become a UsageError. */
export function parseCommandLine<T extends ParseArgsConfig['options']>(options: T, args = process.argv.slice(2)) {
  try {
    return parseArgs({ options: { help: { type: 'boolean', short: 'h' }, ...options }, args, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Runs a command's main function and maps the outcome to an exit code with one clear line on
 * stderr: 0 success, 1 failure, 2 bad input or configuration. `main` may return an exit code.
 */
export function runCommand(name: string, main: () => Promise<number | void>): void {
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
