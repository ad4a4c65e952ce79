/**
 * The thumbnail grid: every image with its label status and split, filters (status, class, split), and a
 * windowed list so that hundreds of images scroll smoothly (only rows near the viewport are in the DOM).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { type Dataset, edit } from '../../state/datasetStore';
import { type GridFilter, filteredImages, labelStatus, selectImage, setFilter, setSplit, splitCounts, useEditorStore } from '../../state/editorStore';
import { requestThumbs, useThumbs } from '../../state/imageCache';

const CELL = 104;

export function ImageGrid({ dataset }: { dataset: Dataset }) {
  const filter = useEditorStore((s) => s.filter);
  const current = useEditorStore((s) => s.imageId);
  const urls = useThumbs((s) => s.urls);
  const images = useMemo(() => filteredImages(dataset, filter), [dataset, filter]);
  const counts = splitCounts(dataset);
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 600, width: 320 });
  const perRow = Math.max(1, Math.floor(viewport.width / CELL));
  const rows = Math.ceil(images.length / perRow);
  const first = Math.max(0, Math.floor(viewport.top / CELL) - 2);
  const last = Math.min(rows, Math.ceil((viewport.top + viewport.height) / CELL) + 2);
  const visible = images.slice(first * perRow, last * perRow);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const update = () => setViewport({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    el.addEventListener('scroll', update, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', update);
    };
  }, []);
  useEffect(() => requestThumbs(visible.map((im) => im.id)), [visible]);
  useEffect(() => {
    // Keep the current image in view when it changes by keyboard.
    const el = scroller.current;
    const i = images.findIndex((im) => im.id === current);
    if (!el || i < 0) return;
    const top = Math.floor(i / perRow) * CELL;
    if (top < el.scrollTop || top + CELL > el.scrollTop + el.clientHeight) el.scrollTop = top - el.clientHeight / 2 + CELL / 2;
  }, [current, images, perRow]);

  const set = (f: Partial<GridFilter>) => setFilter(f);
  return (
    <section className="grid-panel" aria-label="Images">
      <div className="row grid-filters">
        <label>
          Show{' '}
          <select aria-label="Label status filter" value={filter.status} onChange={(e) => set({ status: e.target.value as GridFilter['status'] })}>
            <option value="all">all ({dataset.images.length})</option>
            <option value="unlabelled">unlabelled ({counts.unlabelled})</option>
            <option value="labelled">labelled ({dataset.images.length - counts.unlabelled})</option>
          </select>
        </label>
        <select aria-label="Class filter" value={filter.classId ?? ''} onChange={(e) => set({ classId: e.target.value === '' ? null : Number(e.target.value) })}>
          <option value="">any class</option>
          {dataset.classes.map((c) => (
            <option key={c.id} value={c.id}>{c.name}</option>
          ))}
        </select>
        <select aria-label="Split filter" value={filter.split} onChange={(e) => set({ split: e.target.value as GridFilter['split'] })}>
          <option value="all">train + eval</option>
          <option value="train">train ({counts.train})</option>
          <option value="eval">eval ({counts.eval})</option>
        </select>
      </div>
      <div ref={scroller} className="grid-scroller" role="listbox" aria-label="Image thumbnails" aria-activedescendant={current ? `thumb-${current}` : undefined}>
        <div style={{ height: rows * CELL, position: 'relative' }}>
          {visible.map((im, k) => {
            const i = first * perRow + k;
            const status = labelStatus(dataset.task, im);
            return (
              <div
                key={im.id}
                id={`thumb-${im.id}`}
                role="option"
                aria-selected={im.id === current}
                aria-label={`${im.fileName}, ${status}, ${im.split}`}
                className={`thumb ${status}${im.id === current ? ' current' : ''}`}
                style={{ position: 'absolute', left: (i % perRow) * CELL, top: Math.floor(i / perRow) * CELL }}
                onClick={() => selectImage(im.id)}
              >
                {urls[im.id] ? <img src={urls[im.id]} alt="" draggable={false} /> : <span className="thumb-placeholder" />}
                <span className="thumb-badges">
                  <span className={`dot ${status}`} title={status} />
                  {im.annotations.length > 0 && <span className="pill">{im.annotations.length}</span>}
                  {im.split === 'eval' && <span className="pill eval">eval</span>}
                </span>
                <span className="thumb-name">{im.fileName}</span>
              </div>
            );
          })}
        </div>
        {!images.length && <p className="muted grid-empty">{dataset.images.length ? 'No image matches the filter.' : 'No images yet: drop files here, use Add images, or paste.'}</p>}
      </div>
      {current && (
        <div className="row grid-footer">
          <span className="muted">Split of this image:</span>
          <SplitToggle id={current} dataset={dataset} />
        </div>
      )}
    </section>
  );
}

function SplitToggle({ id, dataset }: { id: string; dataset: Dataset }) {
  const im = dataset.images.find((x) => x.id === id);
  if (!im) return null;
  return (
    <span role="radiogroup" aria-label="Split" className="row">
      {(['train', 'eval'] as const).map((s) => (
        <label key={s}>
          <input type="radio" name="split" checked={im.split === s} onChange={() => edit((d) => setSplit(d, [id], s))} /> {s}
        </label>
      ))}
    </span>
  );
}
