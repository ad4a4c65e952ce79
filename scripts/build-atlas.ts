/**
 * npm run build-atlas : extracts the catalogue's emoji images into public/world/atlas.bin.
 *
 * Source: the Noto emoji PNGs (64 px) of the npm package emoji-datasource-google@16.0.0 (images Apache-2.0,
 * © Google; data MIT, © Cal Henderson). The package (74 MB) is installed without saving by the npm script and
 * is not needed at run time. Each image is box-filtered down to 32 px with alpha-weighted colour.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CATEGORIES } from '../src/core/world/catalog';
import { encodeAtlas } from '../src/core/world/atlas';

const require = createRequire(import.meta.url);
const SIZE = 32;

function main() {
  let pkgDir: string;
  let PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } };
  try {
    pkgDir = dirname(require.resolve('emoji-datasource-google/package.json'));
    PNG = require('pngjs').PNG;
  } catch {
    console.error('build-atlas: run `npm run build-atlas` (it installs emoji-datasource-google and pngjs without saving them)');
    process.exit(2);
  }
  const emoji = JSON.parse(readFileSync(join(pkgDir, 'emoji.json'), 'utf8')) as { short_names: string[]; image: string; has_img_google: boolean }[];
  const pixels = new Uint8Array(CATEGORIES.length * SIZE * SIZE * 4);
  CATEGORIES.forEach((cat, i) => {
    const entry = emoji.find((e) => e.short_names.includes(cat.emoji));
    if (!entry || !entry.has_img_google) throw new Error(`no Google image for ${cat.emoji} (${cat.name})`);
    const png = PNG.sync.read(readFileSync(join(pkgDir, 'img', 'google', '64', entry.image)));
    const f = png.width / SIZE;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        let a = 0, r = 0, g = 0, b = 0;
        for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) {
          const o = ((y * f + dy) * png.width + (x * f + dx)) * 4;
          const al = png.data[o + 3];
          a += al;
          r += png.data[o] * al;
          g += png.data[o + 1] * al;
          b += png.data[o + 2] * al;
        }
        const o = ((i * SIZE + y) * SIZE + x) * 4;
        pixels[o] = a ? Math.round(r / a) : 0;
        pixels[o + 1] = a ? Math.round(g / a) : 0;
        pixels[o + 2] = a ? Math.round(b / a) : 0;
        pixels[o + 3] = Math.round(a / (f * f));
      }
    }
  });
  mkdirSync('public/world', { recursive: true });
  const bytes = encodeAtlas({ size: SIZE, names: CATEGORIES.map((c) => c.name), pixels });
  writeFileSync('public/world/atlas.bin', bytes);
  console.log(`wrote public/world/atlas.bin: ${CATEGORIES.length} sprites of ${SIZE}×${SIZE}, ${bytes.length} bytes`);
}

main();
