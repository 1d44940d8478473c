// The configured logo as files: its size, and the PNGs the build makes of it. Many mail clients
// (Gmail, Outlook) show no SVG, and social networks want a raster og:image, so every published
// build carries PNGs drawn from the logo, whatever its format, at stable addresses.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { emailLogoPixels, fitLogo, logoBoxes, logoPngPaths, type LogoSize } from '../../brand-logo.ts';
import { ConfigError } from '../../config-schema.ts';
import { logoFilePath, logoFileProblem, projectPublicDirectory } from '../../config.ts';
import type { EmailLogo } from '../../email-layout.ts';


/** Pixels per inch at which an SVG is drawn so that it comes out `target` high without blurring. */
function svgDensity(intrinsic: LogoSize, target: LogoSize): number {
  return Math.min(10_000, Math.max(1, (72 * target.height) / intrinsic.height));
}

/**
 * Reads the logo's size from its file. A missing file or one that is not an image is a
 * ConfigError whose one-line message names `source` (the config file) and the key.
 */
export async function readLogoSize(publicDirectory: string, logo: string, source = 'review-wall.config.ts'): Promise<LogoSize> {
  const problem = logoFileProblem(source, logo, publicDirectory);
  if (problem) throw new ConfigError(problem);
  try {
    const { width, height } = await sharp(logoFilePath(logo, publicDirectory)).metadata();
    if (!width || !height) throw new Error('no size');
    return { width, height };
  } catch {
    throw new ConfigError(`${source}: business.logo: public${logo} is not an image that can be read (expected SVG, PNG, JPEG, WebP, GIF or AVIF)`);
  }
}

/** The logo drawn as a PNG of exactly `size` pixels, transparent around it if proportions differ. */
export async function renderLogoPng(publicDirectory: string, logo: string, intrinsic: LogoSize, size: LogoSize): Promise<Buffer> {
  const source = await readFile(logoFilePath(logo, publicDirectory));
  const isSvg = /\.svg$/i.test(logo);
  return sharp(source, isSvg ? { density: svgDensity(intrinsic, size) } : {})
    .resize({ width: size.width, height: size.height, fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** Writes the email PNG and the link-preview PNG into a build's client folder. */
export async function writeLogoPngs(publicDirectory: string, logo: string, intrinsic: LogoSize, clientDirectory: string): Promise<void> {
  const files: [string, LogoSize][] = [
    [logoPngPaths.email, emailLogoPixels(intrinsic)],
    [logoPngPaths.preview, fitLogo(intrinsic, logoBoxes.preview)],
  ];
  for (const [path, size] of files) {
    const target = join(clientDirectory, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await renderLogoPng(publicDirectory, logo, intrinsic, size));
  }
}

const sizes = new Map<string, Promise<LogoSize>>();

/**
 * The logo for emails, or null when none is configured. Emails link the PNG every published
 * build carries at a stable address rather than attaching it: Resend's batch endpoint (how
 * thank-you emails go out) takes no attachments, inline or not, and clients that show attached
 * inline images often list them as attachments too. Gmail and Apple Mail load linked images by
 * default; where a client waits for a click (Outlook on Windows), the alt text, the business
 * name, stands in its place.
 */
export async function emailLogoFor(
  business: { name: string; logo?: string | undefined },
  siteUrl: string,
  publicDirectory = projectPublicDirectory,
): Promise<EmailLogo | null> {
  if (!business.logo) return null;
  const key = `${publicDirectory}\u0000${business.logo}`;
  let size = sizes.get(key);
  if (!size) sizes.set(key, (size = readLogoSize(publicDirectory, business.logo)));
  const shown = fitLogo(await size, logoBoxes.email);
  return { src: `${siteUrl.replace(/\/$/, '')}${logoPngPaths.email}`, ...shown, alt: business.name };
}
