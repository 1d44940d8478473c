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
