/**
 * The sprite atlas of the named objects: one 32×32 RGBA image per category of catalog.ts, in catalog order.
 * File layout (public/world/atlas.bin, loaded the same way in Node and the browser):
 *   "VRFTATLS" | uint32 LE header length | header JSON {version, size, names} | RGBA bytes, sprite after sprite
 */

export interface Atlas {
  size: number;
  names: string[];
  /** RGBA, premultiplied by nothing: straight alpha, 0–255. */
  pixels: Uint8Array;
}

const MAGIC = 'VRFTATLS';

export function encodeAtlas(atlas: Atlas): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ version: 1, size: atlas.size, names: atlas.names }));
  const out = new Uint8Array(12 + header.length + atlas.pixels.length);
  out.set(new TextEncoder().encode(MAGIC));
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, 12);
  out.set(atlas.pixels, 12 + header.length);
  return out;
}

export function decodeAtlas(bytes: Uint8Array): Atlas {
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new Error('not a Visual-RFT sprite atlas (bad magic bytes)');
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as { version: number; size: number; names: string[] };
  if (header.version !== 1) throw new Error(`atlas version ${header.version} is not supported`);
  const pixels = bytes.slice(12 + len);
  const expected = header.names.length * header.size * header.size * 4;
  if (pixels.length !== expected) throw new Error(`atlas holds ${pixels.length} bytes of pixels, expected ${expected}`);
  return { size: header.size, names: header.names, pixels };
}
