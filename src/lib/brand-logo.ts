// Where the configured logo appears and how big: the pages, the emails and link previews all size
// it here, from the size of its file, so that every <img> carries width and height (no layout
// shift) and every PNG made from it matches the size its <img> declares.

/** The logo file's own size in pixels (an SVG's from its width/height or viewBox). */
export interface LogoSize {
  width: number;
  height: number;
}

/** The most room the logo takes in each place, in CSS pixels; it keeps its proportions inside. */
export const logoBoxes = {
  /** The site header and the review form's header. */
  page: { maxWidth: 200, maxHeight: 40 },
  /** The top of every email. */
  email: { maxWidth: 200, maxHeight: 48 },
  /** og:image, for link previews (Facebook, LinkedIn and others want at least 200 px). */
  preview: { maxWidth: 1200, maxHeight: 630 },
} as const;

/** Emails show a PNG drawn at twice its displayed size, so it stays sharp on high-density screens. */
export const emailLogoScale = 2;

/** Where the build puts the PNGs it makes from the logo (see src/lib/server/publish/brand-logo.ts). */
export const logoPngPaths = { email: '/logo-email.png', preview: '/logo-preview.png' } as const;

/** The size that fits `size` into `box`, keeping its proportions, in whole pixels. */
export function fitLogo(size: LogoSize, box: { maxWidth: number; maxHeight: number }): LogoSize {
  const scale = Math.min(box.maxWidth / size.width, box.maxHeight / size.height);
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/** The pixel size of the email PNG: `emailLogoScale` times its displayed size. */
export function emailLogoPixels(size: LogoSize): LogoSize {
  const shown = fitLogo(size, logoBoxes.email);
  return { width: shown.width * emailLogoScale, height: shown.height * emailLogoScale };
}

/** The logo as a page's <img> shows it. */
export interface LogoImage {
  src: string;
  width: number;
  height: number;
  /** The business name. */
  alt: string;
}

/** The header logo of the public pages, or null without a logo (or outside a build, where its size is unknown). */
export function pageLogo(business: { name: string; logo?: string | undefined }, size: LogoSize | null): LogoImage | null {
  if (!business.logo || !size) return null;
  return { src: business.logo, ...fitLogo(size, logoBoxes.page), alt: business.name };
}
