import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailLogoPixels, fitLogo, logoBoxes } from '../../../src/lib/brand-logo.ts';
import { emailLogoFor, readLogoSize, renderLogoPng, writeLogoPngs } from '../../../src/lib/server/publish/brand-logo.ts';
import { runNpm, startApp, type RunningApp } from '../../helpers/app.ts';
import { testConfig } from '../../helpers/config.ts';
import { readEml } from '../../helpers/eml.ts';

/** How many pixels of a PNG are not fully transparent: a drawn logo has many. */
async function opaquePixels(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let index = info.channels - 1; index < data.length; index += info.channels) if (data[index]! > 0) count++;
  return count;
}

describe('the PNGs a build makes from the logo', () => {
  const publicDirectory = mkdtempSync(join(tmpdir(), 'review-wall-public-'));
  afterAll(() => rmSync(publicDirectory, { recursive: true, force: true }));
  // A wide wordmark as an SVG (no width/height: its size comes from the viewBox), and a small PNG.
  writeFileSync(join(publicDirectory, 'wide.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 60"><rect width="240" height="60" fill="#0a7"/></svg>');

  it.each([
    ['an SVG', '/wide.svg', { width: 240, height: 60 }],
    ['a PNG', '/square.png', { width: 32, height: 32 }],
  ])('draws %s at the size each place declares, sharp and not blank', async (_kind, logo, intrinsic) => {
    if (logo.endsWith('.png')) writeFileSync(join(publicDirectory, 'square.png'), await sharp({ create: { width: 32, height: 32, channels: 4, background: '#c00' } }).png().toBuffer());
    expect(await readLogoSize(publicDirectory, logo)).toEqual(intrinsic);
    const client = mkdtempSync(join(tmpdir(), 'review-wall-client-'));
    try {
      await writeLogoPngs(publicDirectory, logo, intrinsic, client);
      expect(readdirSync(client).sort()).toEqual(['logo-email.png', 'logo-preview.png']);
      const email = await sharp(join(client, 'logo-email.png')).metadata();
      expect({ format: email.format, width: email.width, height: email.height }).toEqual({ format: 'png', ...emailLogoPixels(intrinsic) });
      const preview = await sharp(join(client, 'logo-preview.png')).metadata();
      expect({ format: preview.format, width: preview.width, height: preview.height }).toEqual({ format: 'png', ...fitLogo(intrinsic, logoBoxes.preview) });
      expect(await opaquePixels(await renderLogoPng(publicDirectory, logo, intrinsic, { width: 40, height: 40 }))).toBeGreaterThan(100);
    } finally {
      rmSync(client, { recursive: true, force: true });
    }
  });

  it('stops with one line naming the config file and the key when the logo file is missing or not an image', async () => {
    await expect(readLogoSize(publicDirectory, '/missing.svg', 'shop.config.ts')).rejects.toThrowError(
      /^shop\.config\.ts: business\.logo: no such file: public\/missing\.svg \(put the logo there, or remove business\.logo\)$/,
    );
    writeFileSync(join(publicDirectory, 'broken.png'), 'not a picture');
    await expect(readLogoSize(publicDirectory, '/broken.png', 'shop.config.ts')).rejects.toThrowError(/^shop\.config\.ts: business\.logo: public\/broken\.png is not an image/);
  });

  it('gives emails the published PNG, as big as it shows, with the business name as alt text', async () => {
    expect(await emailLogoFor({ name: 'Wide & Co', logo: '/wide.svg' }, 'https://reviews.example/', publicDirectory)).toEqual({
      src: 'https://reviews.example/logo-email.png',
      width: 192,
      height: 48,
      alt: 'Wide & Co',
    });
    expect(await emailLogoFor({ name: 'No Logo' }, 'https://reviews.example', publicDirectory)).toBeNull();
  });
});

describe('the logo on the published site and in the emails (npm start, npm run invite, npm run incentives)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
  });

  /** The <img> of the logo in a page or an email, with its attributes. */
  const logoImage = (html: string, src: RegExp) => {
    const tag = [...html.matchAll(/<img\b[^>]*>/g)].map((match) => match[0]).find((candidate) => src.test(candidate.match(/src="([^"]+)"/)?.[1] ?? ''));
    if (!tag) return null;
    const attribute = (name: string) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
    return { src: attribute('src')!, width: Number(attribute('width')), height: Number(attribute('height')), alt: attribute('alt') };
  };

  it('shows the logo, sized and named, on the wall, the review form and the unsubscribe page', async () => {
    const expected = { src: testConfig.business.logo, width: 40, height: 40, alt: testConfig.business.name };
    for (const url of [`${app.url}/`, `${app.url}/testimonials/`, app.reviewLink!, `${app.reviewLink!}/unsubscribe`]) {
      const html = await (await fetch(url)).text();
      expect({ url, logo: logoImage(html, /^\/logo\.svg$/) }).toEqual({ url, logo: expected });
    }
    const served = await fetch(`${app.url}${testConfig.business.logo}`);
    expect(served.status).toBe(200);
  });

  it('gives link previews a PNG of the logo (og:image), of the size its tags state', async () => {
    const html = await (await fetch(`${app.url}/`)).text();
    const meta = (property: string) => html.match(new RegExp(`<meta property="${property}" content="([^"]+)"`))?.[1];
    const url = meta('og:image')!;
    expect(url).toMatch(/\/logo-preview\.png$/);
    const response = await fetch(new URL(new URL(url).pathname, app.url));
    expect(response.headers.get('content-type')).toBe('image/png');
    const image = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect({ format: image.format, width: image.width, height: image.height }).toEqual({
      format: 'png',
      width: Number(meta('og:image:width')),
      height: Number(meta('og:image:height')),
    });
    expect(meta('og:image:alt')).toBe(testConfig.business.name);
  });

  it('puts the logo in the invitation, the thank-you and the survey email as a PNG the site serves, drawn at twice the size shown', async () => {
    const outbox = app.env.OUTBOX_DIR!;
    const invited = await runNpm('invite', [], app.env);
    expect(invited.code, invited.stderr).toBe(0);
    const thanked = await runNpm('incentives', [], app.env);
    expect(thanked.code, thanked.stderr).toBe(0);
    const surveyed = await runNpm('survey', ['--', '--limit', '1'], app.env);
    expect(surveyed.code, surveyed.stderr).toBe(0);
    const files = readdirSync(outbox);
    for (const kind of ['invite', 'incentive', 'survey']) {
      const file = files.find((name) => name.startsWith(`${kind}_`))!;
      expect(file, kind).toBeTruthy();
      const email = readEml(join(outbox, file));
      const logo = logoImage(email.html, /\/logo-email\.png$/);
      expect(logo, kind).toMatchObject({ src: `${app.env.SITE_URL}/logo-email.png`, alt: testConfig.business.name });
      const response = await fetch(logo!.src);
      expect(response.status).toBe(200);
      const image = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect({ kind, format: image.format, width: image.width, height: image.height }).toEqual({ kind, format: 'png', width: logo!.width * 2, height: logo!.height * 2 });
    }
  }, 120_000);
});
