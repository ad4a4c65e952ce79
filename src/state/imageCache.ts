/**
 * Pixels for the UI: thumbnail object URLs for the grid (loaded in batches, revoked when a dataset closes) and
 * decoded images for the canvas, kept in a small LRU and prefetched around the current image so that switching
 * images does not wait on IndexedDB and decoding.
 */
import { create } from 'zustand';
import { getBlobs, getThumbs } from '../persist/datasets';

export const useThumbs = create<{ urls: Record<string, string> }>(() => ({ urls: {} }));

const requested = new Set<string>();
let pending: string[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

/** Ask for thumbnails; they arrive in `useThumbs` in batches. */
export function requestThumbs(ids: string[]): void {
  for (const id of ids) {
    if (requested.has(id)) continue;
    requested.add(id);
    pending.push(id);
  }
  if (pending.length && !timer) {
    timer = setTimeout(async () => {
      timer = null;
      const batch = pending;
      pending = [];
      try {
        const blobs = await getThumbs(batch);
        const urls = { ...useThumbs.getState().urls };
        blobs.forEach((b, id) => (urls[id] = URL.createObjectURL(b)));
        useThumbs.setState({ urls });
      } catch {
        batch.forEach((id) => requested.delete(id));
      }
    }, 0);
  }
}

export function releaseThumbs(): void {
  Object.values(useThumbs.getState().urls).forEach((u) => URL.revokeObjectURL(u));
  useThumbs.setState({ urls: {} });
  requested.clear();
  pending = [];
  cache.forEach((e) => e.then((b) => b.close()).catch(() => undefined));
  cache.clear();
}

const LRU_SIZE = 24;
const cache = new Map<string, Promise<ImageBitmap>>();

/** The image of the canvas: the display copy when the original is huge, decoded upright. */
export function canvasImage(id: string): Promise<ImageBitmap> {
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const p = getBlobs(id).then((b) => {
    if (!b) throw new Error('the pixels of this image are missing from browser storage');
    // Stored pixels are upright: an EXIF-rotated upload was re-encoded without the tag at ingest.
    return createImageBitmap(b.display ?? b.original);
  });
  p.catch(() => cache.delete(id));
  cache.set(id, p);
  while (cache.size > LRU_SIZE) {
    const [oldest, value] = cache.entries().next().value as [string, Promise<ImageBitmap>];
    cache.delete(oldest);
    value.then((b) => b.close()).catch(() => undefined);
  }
  return p;
}

/** Decode the neighbours of the current image ahead of time. */
export function prefetch(ids: string[]): void {
  for (const id of ids) if (!cache.has(id)) void canvasImage(id).catch(() => undefined);
}
