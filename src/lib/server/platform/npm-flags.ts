import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ParseArgsConfig } from 'node:util';

// `npm run invite --dry-run` (no `--`) does not pass --dry-run to the command: npm takes every
// flag before `--` as one of its own settings and hands it over only as an environment variable,
// npm_config_dry_run=true. A word after such a flag stays an argument (`--audience all` gives
// npm_config_audience=true and the argument "all"); `--audience=all` gives npm_config_audience=all;
// `--no-demo` gives npm_config_demo="". npm also exports its own settings that differ from its
// defaults, from the command line and from .npmrc files alike (npm_config_cache, npm_config_loglevel, …).

type Options = NonNullable<ParseArgsConfig['options']>;

/** What npm knows about its own settings, from the npm that ran the command. */
export interface NpmKnowledge {
  /** npm's own setting names, as they appear in npm_config_* (lower case, `_` for `-`). */
  settings: ReadonlySet<string>;
  /** npm's shorthands: `--verbose` is `--loglevel verbose`. */
  shorthands: Readonly<Record<string, readonly string[]>>;
  /** Settings written in an .npmrc file npm read (project, user, global, built-in). */
  fromNpmrc: ReadonlySet<string>;
}

/** A flag meant for the command that npm kept, and how to type it so the command gets it. */
export interface SwallowedFlag {
  /** As the person probably typed it: `--audience`, `--no-demo`, `--rate=5`. */
  typed: string;
  /** The same for the command, after `--`: `--audience all`, `--no-demo`. */
  words: string[];
  /** The flag's value stayed behind as an argument (`--audience all`): it is one of the arguments. */
  valueLeftAsArgument: boolean;
}

/** Flags npm swallowed: `--dry-run`, and others the command would have used or refused. */
export interface SwallowedFlags {
  dryRun: boolean;
  flags: SwallowedFlag[];
}

const prefix = 'npm_config_';

/** An option or flag name as npm writes it into the environment. */
function settingName(name: string): string {
  return name.toLowerCase().replace(/-/g, '_');
}

/** True when the variable says "on": npm writes true as "true" and false as "". */
function isOn(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== 'false';
}

/**
 * The flags npm took as its own settings although they were meant for the command. A setting
 * counts when it names one of the command's options (or npm's shorthand for one, like
 * `--verbose`), or when npm does not know it, no .npmrc sets it, and its value is the one a bare
 * flag gives ("true" or ""): `--dryrun`, `--no-demo` for a command without it. Without
 * `npm` (the npm that ran us is not known), only the command's own options are recognised.
 */
export function findSwallowedFlags(options: Options, env: NodeJS.ProcessEnv, npm: NpmKnowledge | null): SwallowedFlags {
  const settings = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(prefix) && value !== undefined) settings.set(name.slice(prefix.length), value);
  }
  const dryRun = isOn(settings.get('dry_run'));
  settings.delete('dry_run');
  const fromNpmrc = npm?.fromNpmrc ?? new Set<string>();

  const flags: SwallowedFlag[] = [];
  for (const [name, option] of Object.entries(options)) {
    if (name === 'help' || name === 'dry-run') continue;
    const negated = name.startsWith('no-') ? settingName(name.slice(3)) : null;
    const setting = [settingName(name), negated].find((key) => key !== null && settings.has(key));
    if (setting) {
      const value = settings.get(setting)!;
      settings.delete(setting);
      if (option.type === 'boolean') {
        const typed = setting === negated || value !== '' ? `--${name}` : `--no-${name}`;
        flags.push({ typed, words: [typed], valueLeftAsArgument: false });
      } else if (value === 'true') {
        flags.push({ typed: `--${name}`, words: [`--${name}`], valueLeftAsArgument: true });
      } else {
        flags.push({ typed: `--${name}=${value}`, words: [`--${name}`, value], valueLeftAsArgument: false });
      }
      continue;
    }
    // `--verbose` becomes npm's `--loglevel verbose`.
    const shorthand = npm?.shorthands[name];
    const [shortSetting, shortValue = 'true'] = shorthand?.map((word) => word.replace(/^--/, '')) ?? [];
    if (shortSetting && !fromNpmrc.has(settingName(shortSetting)) && settings.get(settingName(shortSetting)) === shortValue) {
      flags.push({ typed: `--${name}`, words: [`--${name}`], valueLeftAsArgument: false });
    }
  }

  if (npm) {
    for (const [setting, value] of settings) {
      if (npm.settings.has(setting) || fromNpmrc.has(setting) || (value !== 'true' && value !== '')) continue;
      const name = setting.replace(/_/g, '-');
      const typed = value === '' ? `--no-${name}` : `--${name}`;
      flags.push({ typed, words: [typed], valueLeftAsArgument: false });
    }
  }
  return { dryRun, flags };
}

/** A word as a POSIX shell reads it back. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line that passes the flags to the command: `npm run invite -- --audience all`.
 * Values npm left as arguments are taken from `args` in order, since npm keeps no record of
 * where each flag stood.
 */
export function suggestCommandLine(script: string, swallowed: SwallowedFlags, args: readonly string[]): string {
  const rest = [...args];
  const words = swallowed.dryRun ? ['--dry-run'] : [];
  for (const flag of swallowed.flags) {
    words.push(...flag.words);
    if (flag.valueLeftAsArgument && rest.length > 0) words.push(rest.shift()!);
  }
  const npmRun = script === 'start' ? 'npm start' : `npm run ${script}`;
  return [npmRun, '--', ...words, ...rest].map((word, index) => (index < 2 ? word : shellWord(word))).join(' ');
}

/** The setting names an .npmrc file sets (`key = value`, `key[] = value`). */
export function npmrcSettings(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([^\s=;#[][^=]*?)(?:\[\])?\s*=/.exec(line);
    if (match) names.push(settingName(match[1]!));
  }
  return names;
}

/**
 * What the npm that ran this command knows (found through npm_execpath), or null when the
 * command was not started by npm, or by an npm whose settings list cannot be read.
 */
export function readNpmKnowledge(env: NodeJS.ProcessEnv): NpmKnowledge | null {
  if (!env.npm_execpath) return null;
  const root = dirname(dirname(env.npm_execpath));
  let definitions: Record<string, unknown>;
  let shorthands: Record<string, string[]>;
  try {
    const require = createRequire(join(root, 'package.json'));
    if ((require('./package.json') as { name?: string }).name !== 'npm') return null;
    ({ definitions, shorthands } = require('@npmcli/config/lib/definitions') as { definitions: Record<string, unknown>; shorthands: Record<string, string[]> });
  } catch {
    return null;
  }
  // npm exports these beside its settings on every run.
  const settings = new Set([...Object.keys(definitions).map(settingName), 'global_prefix', 'local_prefix', 'npm_version']);
  const npmrcFiles = [
    join(root, 'npmrc'),
    env.npm_config_globalconfig,
    env.npm_config_userconfig,
    env.npm_config_local_prefix && join(env.npm_config_local_prefix, '.npmrc'),
  ];
  const fromNpmrc = new Set<string>();
  for (const file of npmrcFiles) {
    if (!file) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const name of npmrcSettings(text)) fromNpmrc.add(name);
  }
  return { settings, shorthands, fromNpmrc };
}
