/**
 * The EXIF orientation of a JPEG (1–8; 1 = upright), read from the APP1 segment without decoding the image.
 * Phones store portrait photos as landscape pixels plus orientation 6 or 8; boxes must be drawn on the upright
 * image, and exports must carry upright pixels, since PIL-based training code ignores the tag.
 */

/** 1 when the file is not a JPEG, has no EXIF, or the tag is missing or invalid. */
export function jpegOrientation(bytes: Uint8Array): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || v.getUint16(0) !== 0xffd8) return 1;
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return 1;
    const marker = bytes[p + 1];
    if (marker === 0xd9 || marker === 0xda) return 1; // end of image, start of scan: no EXIF before the pixels
    const len = v.getUint16(p + 2);
    if (marker === 0xe1 && p + 10 <= bytes.length && v.getUint32(p + 4) === 0x45786966 /* "Exif" */) return tiffOrientation(v, p + 10, Math.min(bytes.length, p + 2 + len));
    p += 2 + len;
  }
  return 1;
}

function tiffOrientation(v: DataView, tiff: number, end: number): number {
  if (tiff + 8 > end) return 1;
  const order = v.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return 1;
  const le = order === 0x4949;
  const ifd = tiff + v.getUint32(tiff + 4, le);
  if (ifd + 2 > end) return 1;
  const entries = v.getUint16(ifd, le);
  for (let i = 0; i < entries; i++) {
    const e = ifd + 2 + 12 * i;
    if (e + 12 > end) return 1;
    if (v.getUint16(e, le) === 0x0112) {
      const o = v.getUint16(e + 8, le);
      return o >= 1 && o <= 8 ? o : 1;
    }
  }
  return 1;
}

/** Orientations 5–8 swap width and height. */
export const swapsSides = (orientation: number) => orientation >= 5 && orientation <= 8;
