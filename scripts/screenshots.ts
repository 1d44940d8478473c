#!/usr/bin/env node
// npm run screenshots: the README's pictures, taken from the demo so they never go stale.
import { chromium, type Browser } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseCommandLine, runCommand } from '../src/lib/server/platform/cli.ts';
import { projectRoot, startApp, type RunningApp } from '../test/helpers/app.ts';

const help = `Usage: npm run screenshots [-- --out DIR]

Starts the site on the demo data in a temporary folder (its own database, outbox and pages;
nothing of yours is touched), then drives Chromium to take the README's screenshots:

  wall.png           the wall of love, on a desktop screen
  review-form.png    a customer's review form, on a phone
  admin-queue.png    the moderation queue, signed in as the demo admin

  --out DIR   where to write them (default docs/screenshots)

Chromium comes from CHROMIUM_PATH (default /usr/bin/chromium).`;

// The same browser and flags as the end-to-end tests (playwright.config.ts).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

runCommand('screenshots', async () => {
  const { values } = parseCommandLine({ out: { type: 'string' } });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const outDir = resolve(values.out ?? join(projectRoot, 'docs', 'screenshots'));
  mkdirSync(outDir, { recursive: true });

  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  try {
    process.stdout.write('Starting the site on the demo data… ');
    app = await startApp({ env: { DEMO_ADMIN_PASSWORD: 'screenshots-demo-password' } });
    console.log('done.');
    if (!app.adminEmail || !app.adminPassword || !app.reviewLink) throw new Error(`npm start printed no demo login or review link:\n${app.output()}`);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });

    const write = (name: string) => {
      const path = join(outDir, name);
      const inside = relative(process.cwd(), path);
      console.log(`Wrote ${inside && !inside.startsWith('..') ? inside : path}`);
      return path;
    };

    const desktop = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light', locale: 'en-US' });
    const wall = await desktop.newPage();
    await wall.goto(`${app.url}/`);
    await wall.locator('article').first().waitFor();
    await wall.screenshot({ path: write('wall.png') });

    const admin = await desktop.newPage();
    await admin.goto(`${app.url}/admin/sign-in`);
    await admin.getByLabel('Email').fill(app.adminEmail);
    await admin.getByLabel('Password').fill(app.adminPassword);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.waitForURL(`${app.url}/admin/`);
    // Checked, so a broken sign-in fails the command instead of photographing the sign-in page.
    await admin.getByRole('heading', { level: 1, name: 'Moderation queue' }).waitFor();
    await admin.locator('article.review .badge.pending').first().waitFor();
    await admin.screenshot({ path: write('admin-queue.png') });
    await desktop.close();

    // A mid-size phone: touch, the mobile layout, twice the pixels.
    const phone = await browser.newContext({
      viewport: { width: 412, height: 839 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'light',
      locale: 'en-US',
    });
    const form = await phone.newPage();
    // In English for the README (the demo customer's own language would be Ukrainian), half filled in.
    const link = new URL(app.reviewLink);
    link.searchParams.set('lang', 'en');
    await form.goto(link.href);
    await form.getByRole('radio', { name: '4 stars' }).check({ force: true });
    await form.getByLabel('Your review').fill('Quick answers, and they fixed our billing export the same day.');
    await form.getByLabel('Your review').blur();
    await form.screenshot({ path: write('review-form.png') });
    await phone.close();
  } finally {
    await browser?.close();
    await app?.stop();
  }
});
