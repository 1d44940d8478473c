// The business picks its colours; the pages must stay readable whatever it picks (WCAG 2.2 AA:
// 4.5:1 for text, 3:1 for graphics such as the stars). Each brand colour is darkened (light
// mode) or lightened (dark mode) only as far as it takes to reach that contrast.

/** The page and card backgrounds of both layouts, light and dark (see PublicLayout/AdminLayout). */
export const surfaces = {
  light: ['#ffffff', '#f6f7f9'],
  dark: ['#121417', '#1d2127'],
} as const;

/** Text on a brand-coloured button: whichever of these reads better. */
const lightText = '#ffffff';
const darkText = '#121417';

type Rgb = [number, number, number];

function parseHex(color: string): Rgb {
  const match = /^#([0-9a-f]{6})$/i.exec(color);
  if (!match) throw new Error(`expected a colour like "#1f6feb", got "${color}"`);
  const value = Number.parseInt(match[1]!, 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex([red, green, blue]: Rgb): string {
  return `#${[red, green, blue].map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG relative luminance. */
function luminance(color: string): number {
  const [red, green, blue] = parseHex(color).map((channel) => {
    const value = channel / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

/** WCAG contrast ratio between two colours, from 1 to 21. */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [luminance(first), luminance(second)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

function mix(color: string, toward: string, share: number): string {
  const from = parseHex(color);
  const to = parseHex(toward);
  return toHex(from.map((channel, index) => channel + (to[index]! - channel) * share) as Rgb);
}

/**
 * The colour itself when it already has `minRatio` against every background, else the first
 * shade toward black (light backgrounds) or white (dark ones) that has. Black and white always
 * reach 4.5:1 against these backgrounds, so there is always an answer.
 */
export function readableShade(color: string, backgrounds: readonly string[], minRatio: number): string {
  const dark = luminance(backgrounds[0]!) < 0.18;
  const goal = dark ? '#ffffff' : '#000000';
  for (let step = 0; step <= 100; step++) {
    const shade = step === 0 ? color.toLowerCase() : mix(color, goal, step / 100);
    if (backgrounds.every((background) => contrastRatio(shade, background) >= minRatio)) return shade;
  }
  return goal;
}

/** Text colour for a button filled with `background`. */
export function textOn(background: string): string {
  return contrastRatio(lightText, background) >= contrastRatio(darkText, background) ? lightText : darkText;
}

/** Every colour the layouts and emails derive from the configured brand colours. */
export interface BrandPalette {
  light: { brand: string; onBrand: string; star: string };
  dark: { brand: string; onBrand: string; star: string };
}

/** Brand colours made readable: links and buttons at 4.5:1, stars at 3:1, in both modes. */
export function brandPalette(colors: { primary: string; accent: string }): BrandPalette {
  const side = (backgrounds: readonly string[]) => {
    const brand = readableShade(colors.primary, backgrounds, 4.5);
    return { brand, onBrand: textOn(brand), star: readableShade(colors.accent, backgrounds, 3) };
  };
  return { light: side(surfaces.light), dark: side(surfaces.dark) };
}

/** The palette as CSS custom properties for :root (the layouts pick light or dark). */
export function paletteCss(palette: BrandPalette): string {
  return (
    `:root { --brand-light: ${palette.light.brand}; --on-brand-light: ${palette.light.onBrand}; --star-light: ${palette.light.star}; ` +
    `--brand-dark: ${palette.dark.brand}; --on-brand-dark: ${palette.dark.onBrand}; --star-dark: ${palette.dark.star}; }`
  );
}
