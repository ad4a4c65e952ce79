/**
 * Decoding an image file in Node (the browser decodes with createImageBitmap): JPEG by jpeg-js, PNG by pngjs, told
 * apart by their magic bytes. Both are pure JavaScript, so scripts need no native build.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA bytes, row-major. */
  rgba: Uint8Array;
}

/** Throws with a message naming the problem (not an image, an unsupported format, corrupt data). */
export function decodeImageFile(bytes: Uint8Array): DecodedImage {
  if (bytes.length === 0) throw new Error('the file is empty');
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (!isJpeg && !isPng) throw new Error('not a JPEG or PNG image');
  try {
    if (isJpeg) {
      const d = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      return { width: d.width, height: d.height, rgba: d.data };
    }
    const d = PNG.sync.read(Buffer.from(bytes));
    return { width: d.width, height: d.height, rgba: new Uint8Array(d.data.buffer, d.data.byteOffset, d.data.length) };
  } catch (e) {
    throw new Error(`corrupt or unsupported ${isJpeg ? 'JPEG' : 'PNG'} (${(e as Error).message})`);
  }
}
