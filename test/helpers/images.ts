import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/**
 * A 300×100 JPEG, red on the left and blue on the right, that says it must be rotated 90°
 * clockwise (EXIF orientation 6) and carries a camera make and a GPS position.
 */
export async function createJpegWithGps(): Promise<Buffer> {
  const left = await sharp({ create: { width: 150, height: 100, channels: 3, background: '#ff0000' } }).png().toBuffer();
  return sharp({ create: { width: 300, height: 100, channels: 3, background: '#0000ff' } })
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'TestCam', Software: 'review-wall-test' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 13/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '21/1 0/1 0/1' },
    })
    .toBuffer();
}

/** A plain JPEG photo of the given size. */
export function createJpeg(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a7bd5' } }).jpeg({ quality: 80 }).toBuffer();
}

/** A valid JPEG larger than `bytes`: random noise barely compresses. */
export async function createJpegLargerThan(bytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(bytes));
  const noise = randomBytes(side * side * 3);
  const jpeg = await sharp(noise, { raw: { width: side, height: side, channels: 3 } }).jpeg({ quality: 100 }).toBuffer();
  if (jpeg.byteLength <= bytes) throw new Error(`noise JPEG came out at only ${jpeg.byteLength} bytes`);
  return jpeg;
}

/** A 10000×10000 PNG: 100 megapixels that compress to a few hundred kilobytes (a decompression bomb). */
export function createPixelBomb(): Promise<Buffer> {
  return sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#ffffff' }, limitInputPixels: false })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** Whether an EXIF block contains a GPS directory (tag 0x8825, in either byte order). */
export function hasGpsDirectory(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  return exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]));
}

/** Options for `createPhoneJpeg`. */
export interface PhoneJpegOptions {
  /** The smallest file wanted: noise keeps the JPEG large, the quality is raised until it is this big. */
  minBytes?: number;
  progressive?: boolean;
}

/**
 * A photo as a 48 MP phone camera writes it: 8064 × 6048 pixels of noise (so it weighs what a
 * detailed scene does, 12 MB by default), reddish on the left half and bluish on the right,
 * stored sideways with EXIF orientation 6 (rotate 90° clockwise: upright, red is on top), and a
 * camera make and GPS position in its EXIF.
 */
export async function createPhoneJpeg(options: PhoneJpegOptions = {}): Promise<Buffer> {
  const minBytes = options.minBytes ?? 12 * 1024 * 1024;
  const width = 8064;
  const height = 6048;
  const pixels = randomBytes(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      const [strong, weak] = x < width / 2 ? [offset, offset + 2] : [offset + 2, offset];
      pixels[strong] = pixels[strong]! | 0xc0;
      pixels[weak] = pixels[weak]! & 0x3f;
    }
  }
  for (let quality = 30; quality <= 100; quality += 10) {
    const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 }, limitInputPixels: false })
      .jpeg({ quality, optimiseCoding: false, progressive: options.progressive ?? false })
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'PhoneCam', Model: 'Phone 48MP' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 13/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '21/1 0/1 0/1' },
      })
      .toBuffer();
    if (jpeg.byteLength >= minBytes) return jpeg;
  }
  throw new Error(`a noise JPEG of ${width} × ${height} does not reach ${minBytes} bytes`);
}

/** The colour of a stored avatar near its top and near its bottom, as [red, green, blue]. */
export async function topAndBottomColours(image: Buffer | string): Promise<{ top: number[]; bottom: number[] }> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  // The average of a whole row: the noise evens out, the half it came from shows.
  const row = (y: number) => {
    const sums = [0, 0, 0];
    for (let x = 0; x < info.width; x++) for (let channel = 0; channel < 3; channel++) sums[channel]! += data[(y * info.width + x) * info.channels + channel]!;
    return sums.map((sum) => Math.round(sum / info.width));
  };
  return { top: row(Math.floor(info.height * 0.1)), bottom: row(Math.floor(info.height * 0.9)) };
}

/**
 * The chunks of a WebP file, by name (`VP8 `, `EXIF`, `XMP `, `ICCP`, …). A stored avatar of a
 * noisy photo is random-looking bytes where `hasGpsDirectory`'s two-byte tag turns up by chance;
 * its chunk list says for sure whether any metadata was written.
 */
export function webpChunkNames(webp: Buffer): string[] {
  if (webp.toString('latin1', 0, 4) !== 'RIFF' || webp.toString('latin1', 8, 12) !== 'WEBP') throw new Error('not a WebP file');
  const names: string[] = [];
  for (let offset = 12; offset + 8 <= webp.byteLength; ) {
    names.push(webp.toString('latin1', offset, offset + 4));
    const size = webp.readUInt32LE(offset + 4);
    offset += 8 + size + (size % 2);
  }
  return names;
}
