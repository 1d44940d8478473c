import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeConfigLoadError } from './config-load-error.ts';
import type { LogoSize } from './brand-logo.ts';
import { ConfigError, parseReviewWallConfig, type ReviewWallConfig } from './config-schema.ts';
import { normalizeLocale, type Locale } from './locales.ts';

/** Set by astro.config.mjs (Vite `define`) in an Astro build: the config file's contents, and its logo's size. */
declare const __REVIEW_WALL_CONFIG__: { source: string; raw: unknown; logoSize?: LogoSize | null } | undefined;

/** The config file's name as the person starting the site wrote it, and where it is. */
export interface ConfigFile {
  /** For messages: the REVIEW_WALL_CONFIG value, or "review-wall.config.ts". */
  source: string;
  path: string;
}

/**
 * The config file to read: REVIEW_WALL_CONFIG (a path, relative to the working directory or
 * absolute), else `review-wall.config.ts` at the project root.
 */
export function configFile(env: NodeJS.ProcessEnv = process.env): ConfigFile {
  const chosen = env.REVIEW_WALL_CONFIG?.trim();
  if (chosen) return { source: chosen, path: isAbsolute(chosen) ? chosen : resolve(chosen) };
  return { source: 'review-wall.config.ts', path: resolve(import.meta.dirname, '..', '..', 'review-wall.config.ts') };
}

/** A file's text, or undefined if it cannot be read. */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Imports a config file's default export. Anything that stops it (no such file, a syntax error,
 * an error thrown while it runs, no default export) is a ConfigError with one line naming the
 * file, and the line and column where Node reports them.
 */
export async function readConfigFile(file: ConfigFile): Promise<unknown> {
  if (!existsSync(file.path)) throw new ConfigError(`${file.source}: no such file (${file.path})`);
  let module: Record<string, unknown>;
  try {
    module = (await import(/* @vite-ignore */ pathToFileURL(file.path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(describeConfigLoadError({ ...file, text: readText(file.path) }, error, readText));
  }
  if (!('default' in module)) {
    throw new ConfigError(`${file.source}: no default export (expected "export default defineReviewWallConfig({ … })")`);
  }
  return module.default;
}

/** The file's contents, or why they could not be read. */
async function loadConfigFile(): Promise<{ source: string; raw: unknown } | { error: unknown }> {
  const file = configFile();
  try {
    return { source: file.source, raw: await readConfigFile(file) };
  } catch (error) {
    return { error };
  }
}

// A build has the file's contents compiled in (see astro.config.mjs), so a published site keeps
// the configuration it was built with; scripts and tests read the file. A failure waits for
// getConfig(), so that commands report it as their one-line error.
const loaded = typeof __REVIEW_WALL_CONFIG__ !== 'undefined' ? __REVIEW_WALL_CONFIG__ : await loadConfigFile();

let cached: ReviewWallConfig | undefined;

/** The project's public/ folder, where business.logo names a file (for scripts: a build has its own copy). */
export const projectPublicDirectory = resolve(import.meta.dirname, '..', '..', 'public');

/** The file a logo path names: "/logo.svg" is public/logo.svg. */
export function logoFilePath(logo: string, publicDirectory = projectPublicDirectory): string {
  return resolve(publicDirectory, `.${logo}`);
}

/** Why business.logo cannot be used, in one line naming the config file, or null when its file is there. */
export function logoFileProblem(source: string, logo: string, publicDirectory = projectPublicDirectory): string | null {
  if (existsSync(logoFilePath(logo, publicDirectory))) return null;
  return `${source}: business.logo: no such file: public${logo} (put the logo there, or remove business.logo)`;
}

/**
 * The site configuration (review-wall.config.ts or REVIEW_WALL_CONFIG), validated once. Outside a
 * build, the logo file it names must exist too (a build checked it when it was made).
 */
export function getConfig(): ReviewWallConfig {
  if ('error' in loaded) throw loaded.error;
  if (!cached) {
    const config = parseReviewWallConfig(loaded.raw, loaded.source);
    const problem = config.business.logo && typeof __REVIEW_WALL_CONFIG__ === 'undefined' ? logoFileProblem(loaded.source, config.business.logo) : null;
    if (problem) throw new ConfigError(problem);
    cached = config;
  }
  return cached;
}

/** The logo's size in pixels, known in a build (astro.config.mjs reads it); null without a logo. */
export function builtLogoSize(): LogoSize | null {
  return typeof __REVIEW_WALL_CONFIG__ !== 'undefined' ? (__REVIEW_WALL_CONFIG__.logoSize ?? null) : null;
}

/** The incentive text in a locale, falling back to the default text. */
export function incentiveTextFor(config: ReviewWallConfig, locale: string): string {
  return config.incentive.translations[locale as keyof typeof config.incentive.translations] ?? config.incentive.text;
}

/** The language to write to a contact in: theirs ("pl-PL" counts as pl) if the site speaks it, else the default. */
export function contactLocale(config: ReviewWallConfig, tag: string | null | undefined): Locale {
  const normalized = normalizeLocale(tag, config.locales.default);
  return config.locales.enabled.includes(normalized) ? normalized : config.locales.default;
}

/** The incentive as the public pages, which are in English, name it. */
export function publicIncentiveText(config: ReviewWallConfig): string {
  return incentiveTextFor(config, 'en');
}
