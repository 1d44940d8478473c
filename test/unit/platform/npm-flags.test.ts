import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSwallowedFlags, npmrcSettings, readNpmKnowledge, suggestCommandLine, type NpmKnowledge } from '../../../src/lib/server/platform/npm-flags.ts';

// The environments below are what npm 11.19 gave a script for `npm run x` with the flags named
// (recorded on this machine; `npm run x --help` shows npm's help and never runs the script).
const plainRun = {
  npm_config_allow_scripts: '',
  npm_config_audit: '',
  npm_config_cache: '/home/someone/.npm',
  npm_config_fund: '',
  npm_config_global_prefix: '/usr',
  npm_config_globalconfig: '/usr/etc/npmrc',
  npm_config_init_module: '/home/someone/.npm-init.js',
  npm_config_local_prefix: '/srv/review-wall',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_config_noproxy: '',
  npm_config_npm_version: '11.19.1',
  npm_config_prefix: '/usr',
  npm_config_update_notifier: '',
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_userconfig: '/home/someone/.npmrc',
  npm_lifecycle_event: 'invite',
};

/** npm's knowledge as the npm that ran the tests has it, with .npmrc keys of our choosing. */
function npmWith(fromNpmrc: string[] = ['audit', 'fund', 'update_notifier']): NpmKnowledge {
  const npm = readNpmKnowledge({ npm_execpath: npmExecPath });
  if (!npm) throw new Error('the npm on PATH did not give its settings');
  return { ...npm, fromNpmrc: new Set(fromNpmrc) };
}
/** npm's entry script, as npm_execpath names it: what `npm` on PATH links to. */
const npmExecPath = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());

const invite = { audience: { type: 'string' }, rate: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const;
const start = { 'no-demo': { type: 'boolean' }, 'skip-publish': { type: 'boolean' } } as const;
const publish = { 'dry-run': { type: 'boolean' }, verbose: { type: 'boolean' } } as const;

describe('flags npm swallowed', () => {
  it('finds none in a plain npm run', () => {
    expect(findSwallowedFlags(invite, plainRun, npmWith())).toEqual({ dryRun: false, flags: [] });
    expect(findSwallowedFlags(invite, {}, null)).toEqual({ dryRun: false, flags: [] });
  });

  it.each([
    ['--dry-run', { npm_config_dry_run: 'true' }, [], true, [], 'npm run invite -- --dry-run'],
    ['--dry (npm expands it)', { npm_config_dry_run: 'true' }, [], true, [], 'npm run invite -- --dry-run'],
    ['--audience all', { npm_config_audience: 'true' }, ['all'], false, ['--audience'], 'npm run invite -- --audience all'],
    ['--audience=all', { npm_config_audience: 'all' }, [], false, ['--audience=all'], 'npm run invite -- --audience all'],
    ['--rate 5', { npm_config_rate: 'true' }, ['5'], false, ['--rate'], 'npm run invite -- --rate 5'],
    ['--dry-run --audience all', { npm_config_dry_run: 'true', npm_config_audience: 'true' }, ['all'], true, ['--audience'], 'npm run invite -- --dry-run --audience all'],
    ['--limit 3 (not an invite option)', { npm_config_limit: 'true' }, ['3'], false, ['--limit'], 'npm run invite -- --limit 3'],
    ['--dryrun (a typo)', { npm_config_dryrun: 'true' }, [], false, ['--dryrun'], 'npm run invite -- --dryrun'],
    ['--no-demo (an option of start)', { npm_config_demo: '' }, [], false, ['--no-demo'], 'npm run invite -- --no-demo'],
  ])('npm run invite %s', (_typed, settings, args, dryRun, typed, suggestion) => {
    const swallowed = findSwallowedFlags(invite, { ...plainRun, ...settings }, npmWith());
    expect(swallowed.dryRun).toBe(dryRun);
    expect(swallowed.flags.map((flag) => flag.typed)).toEqual(typed);
    expect(suggestCommandLine('invite', swallowed, args)).toBe(suggestion);
  });

  it('knows the flags of start, including --no-demo, which npm turns into demo=""', () => {
    const swallowed = findSwallowedFlags(start, { ...plainRun, npm_config_demo: '', npm_config_skip_publish: 'true' }, npmWith());
    expect(swallowed.flags.map((flag) => flag.typed)).toEqual(['--no-demo', '--skip-publish']);
    expect(suggestCommandLine('start', swallowed, [])).toBe('npm start -- --no-demo --skip-publish');
  });

  it("knows the command's own options even when the npm that ran it cannot be asked", () => {
    const swallowed = findSwallowedFlags(invite, { ...plainRun, npm_config_audience: 'all', npm_config_dry_run: 'true', npm_config_dryrun: 'true' }, null);
    expect(swallowed).toMatchObject({ dryRun: true, flags: [{ typed: '--audience=all' }] });
  });

  it("takes npm's --verbose (its --loglevel verbose) for publish --verbose, unless .npmrc sets the log level", () => {
    const typed = { ...plainRun, npm_config_loglevel: 'verbose' };
    expect(findSwallowedFlags(publish, typed, npmWith()).flags.map((flag) => flag.typed)).toEqual(['--verbose']);
    expect(findSwallowedFlags(publish, typed, npmWith(['loglevel'])).flags).toEqual([]);
    expect(findSwallowedFlags(invite, typed, npmWith()).flags).toEqual([]);
  });

  it.each([
    ["npm's own flags: --silent, --json, --foreground-scripts, --workspace=x", { npm_config_loglevel: 'silent', npm_config_json: 'true', npm_config_foreground_scripts: 'true', npm_config_workspace: 'x' }],
    ['a key npm does not know, set in an .npmrc (always-auth, pnpm settings)', { npm_config_always_auth: 'true', npm_config_shamefully_hoist: 'true' }],
    ['a variable set by hand for a native module mirror', { npm_config_sharp_binary_host: 'https://mirror.example/sharp' }],
    ['--no-dry-run (npm exports nothing for a setting at its default)', {}],
  ])('leaves alone %s', (_label, settings) => {
    expect(findSwallowedFlags(invite, { ...plainRun, ...settings }, npmWith(['audit', 'fund', 'update_notifier', 'always_auth', 'shamefully_hoist']))).toEqual({ dryRun: false, flags: [] });
  });

  it('quotes what a shell would split', () => {
    const swallowed = findSwallowedFlags(invite, { npm_config_dry_run: 'true' }, null);
    expect(suggestCommandLine('import', swallowed, ["Anna's export.csv"])).toBe(`npm run import -- --dry-run 'Anna'\\''s export.csv'`);
  });
});

describe('.npmrc files', () => {
  it('names every key they set, as npm exports it', () => {
    expect(npmrcSettings('; a comment\n# another\nalways-auth=true\n  Strict-SSL = false\nca[]=one\n@scope:registry=https://r.example\n//r.example/:_authToken=${TOKEN}\n[section]\n\n')).toEqual([
      'always_auth',
      'strict_ssl',
      'ca',
      '@scope:registry',
      '//r.example/:_authtoken',
    ]);
  });

  it('are read from where npm says they are', () => {
    const directory = mkdtempSync(join(tmpdir(), 'review-wall-npmrc-'));
    try {
      writeFileSync(join(directory, 'user-npmrc'), 'always-auth=true\n');
      writeFileSync(join(directory, '.npmrc'), 'shamefully-hoist=true\n');
      const npm = readNpmKnowledge({ npm_execpath: npmExecPath, npm_config_userconfig: join(directory, 'user-npmrc'), npm_config_local_prefix: directory });
      expect([...npm!.fromNpmrc]).toEqual(expect.arrayContaining(['always_auth', 'shamefully_hoist']));
      expect(npm!.settings.has('dry_run')).toBe(true);
      expect(npm!.settings.has('loglevel')).toBe(true);
      expect(npm!.settings.has('audience')).toBe(false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('are not looked for when the command was not started by npm', () => {
    expect(readNpmKnowledge({})).toBeNull();
    expect(readNpmKnowledge({ npm_execpath: '/nowhere/bin/npm-cli.js' })).toBeNull();
  });
});
