import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile } from '../../../src/lib/config.ts';
import { publishSite, readPointer, siteLayout } from '../../../src/lib/server/publish/publish.ts';
import { isolatedEnvironment, projectRoot, runScript, startApp, type RunningApp } from '../../helpers/app.ts';
import { writeConfigVariant } from '../../helpers/config.ts';
import { createTemporaryDatabase } from '../../helpers/database.ts';

// REVIEW_WALL_CONFIG names the configuration file the commands, the build and the server use.

describe('which configuration file is read', () => {
  it('is review-wall.config.ts at the project root unless REVIEW_WALL_CONFIG names another', () => {
    expect(configFile({})).toEqual({ source: 'review-wall.config.ts', path: join(projectRoot, 'review-wall.config.ts') });
    expect(configFile({ REVIEW_WALL_CONFIG: ' ' })).toEqual({ source: 'review-wall.config.ts', path: join(projectRoot, 'review-wall.config.ts') });
    expect(configFile({ REVIEW_WALL_CONFIG: 'config/shop.ts' })).toEqual({ source: 'config/shop.ts', path: resolve(process.cwd(), 'config/shop.ts') });
    expect(configFile({ REVIEW_WALL_CONFIG: '/etc/review-wall/shop.ts' })).toEqual({ source: '/etc/review-wall/shop.ts', path: '/etc/review-wall/shop.ts' });
  });
});

describe('REVIEW_WALL_CONFIG', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'review-wall-config-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('is read relative to the working directory by every command', async () => {
    const database = await createTemporaryDatabase();
    try {
      const everyone = writeConfigVariant(database.directory, (config) => ({ ...config, invite: { audience: 'all' } }));
      const env = { ...isolatedEnvironment(database.directory, 4321), DATABASE_URL: database.url, REVIEW_WALL_CONFIG: relative(projectRoot, everyone) };
      expect((await runScript('import', [join(projectRoot, 'test', 'fixtures', 'nps-responses.csv')], env)).code).toBe(0);
      const result = await runScript('invite', ['--dry-run'], env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('would invite 35 respondents');
    } finally {
      database.cleanup();
    }
  });

  it('stops a command with one line when the file is missing', async () => {
    const result = await runScript('invite', ['--dry-run'], { REVIEW_WALL_CONFIG: 'shop.config.ts' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`invite: shop.config.ts: no such file (${join(projectRoot, 'shop.config.ts')})\n`);
  });

  it('names the file when it stops a build', async () => {
    const database = await createTemporaryDatabase();
    try {
      const broken = writeConfigVariant(database.directory, (config) => ({ ...config, itemReviewed: { type: 'Gadget', name: 'Gadget' } }), 'shop.ts');
      const siteDir = join(database.directory, 'site');
      const env = { ...process.env, DATABASE_URL: database.url, SITE_DIR: siteDir, REVIEW_WALL_CONFIG: broken };
      const result = await publishSite({ db: database.db, siteDir, startedBy: 'test', env, projectRoot });
      expect(result.status).toBe('failed');
      const error = result.status === 'failed' ? result.error : '';
      expect(error.startsWith(`${broken}: itemReviewed.type: expected one of Product,`), error).toBe(true);
    } finally {
      database.cleanup();
    }
  }, 180_000);

  it('records the syntax error, with its line and column, when a build stops on one', async () => {
    const database = await createTemporaryDatabase();
    try {
      const good = readFileSync(writeConfigVariant(database.directory, (config) => config, 'shop.ts'), 'utf8');
      const broken = join(database.directory, 'shop.ts');
      writeFileSync(broken, good.replace(/},\n(\s*)"tokens"/, '}\n$1"tokens"'));
      const line = good.split('\n').findIndex((text) => text.includes('"tokens"')) + 1;
      const siteDir = join(database.directory, 'site');
      const env = { ...process.env, DATABASE_URL: database.url, SITE_DIR: siteDir, REVIEW_WALL_CONFIG: broken };
      const result = await publishSite({ db: database.db, siteDir, startedBy: 'test', env, projectRoot });
      expect(result.status).toBe('failed');
      // The admin's publish page shows this line for the failed run.
      const [run] = (await database.db.$client.execute('select error from publish_runs order by id desc limit 1')).rows;
      expect(run?.error).toBe(`${broken}:${line}:3: syntax error: Expected ',', got 'string literal' (is a comma missing at the end of line ${line - 1}?)`);
    } finally {
      database.cleanup();
    }
  }, 180_000);

  it('stops a command and a build with one line when business.logo names a file that is not in public/', async () => {
    const database = await createTemporaryDatabase();
    try {
      const missing = writeConfigVariant(database.directory, (config) => ({ ...config, business: { ...config.business, logo: '/brand/missing-logo.svg' } }), 'shop.ts');
      const expected = `${missing}: business.logo: no such file: public/brand/missing-logo.svg (put the logo there, or remove business.logo)`;
      const command = await runScript('invite', ['--dry-run'], { DATABASE_URL: database.url, REVIEW_WALL_CONFIG: missing });
      expect(command.code).toBe(2);
      expect(command.stderr).toBe(`invite: ${expected}\n`);
      const siteDir = join(database.directory, 'site');
      const env = { ...process.env, DATABASE_URL: database.url, SITE_DIR: siteDir, REVIEW_WALL_CONFIG: missing };
      const result = await publishSite({ db: database.db, siteDir, startedBy: 'test', env, projectRoot });
      expect(result.status === 'failed' ? result.error : result.status).toBe(expected);
    } finally {
      database.cleanup();
    }
  }, 180_000);

  describe('for the published site', () => {
    let app: RunningApp;
    beforeAll(async () => {
      const configFile = writeConfigVariant(directory, (config) => ({
        ...config,
        business: { ...config.business, name: 'Zephyr Bakery', colors: { primary: '#7a1fbf', accent: '#0f766e' } },
        itemReviewed: { type: 'Product', name: 'Zephyr Sourdough' },
      }));
      app = await startApp({ env: { REVIEW_WALL_CONFIG: configFile } });
    }, 240_000);
    afterAll(async () => app?.stop());

    it('builds the prerendered pages from it', async () => {
      const build = await readPointer(siteLayout(app.env.SITE_DIR!).current);
      const wall = readFileSync(join(build!, 'client', 'index.html'), 'utf8');
      expect(wall).toContain('Zephyr Bakery');
      expect(wall).toContain('"name":"Zephyr Sourdough"');
      expect(wall).not.toContain('Acme');
      expect(await (await fetch(`${app.url}/how-we-collect-reviews/`)).text()).toContain('Zephyr Bakery');
    });

    it('serves the on-demand pages from it', async () => {
      const form = await (await fetch(app.reviewLink!)).text();
      expect(form).toContain('Zephyr Bakery');
      expect(form).not.toContain('Acme');
      expect(await (await fetch(`${app.url}/admin/sign-in`)).text()).toContain('Zephyr Bakery · admin');
    });
  });
});
