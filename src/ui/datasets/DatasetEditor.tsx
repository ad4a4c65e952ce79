/**
 * An open dataset: toolbar (add images, export, undo/redo, save status), class list, canvas with the box list,
 * and the thumbnail grid. Files dropped anywhere on the editor or pasted are added; keyboard shortcuts act on the
 * current image (see shortcuts.ts and the ? overlay).
 */
import { useEffect, useRef, useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat, type UploadFile, addFiles, exportOpenDataset } from '../../state/datasetIO';
import { type Dataset, type DatasetImage, closeDataset, edit, redo, renameDataset, retrySave, undo, useDatasetsStore } from '../../state/datasetStore';
import { deleteImages, resetEditor, selectBoxes, setBoxClass, setExpression, setImageLabel, setShortcutsOpen, useEditorStore } from '../../state/editorStore';
import { saveBlob } from '../../state/download';
import { releaseThumbs } from '../../state/imageCache';
import { ClassPanel } from './ClassPanel';
import { ImageGrid } from './ImageGrid';
import { LabelCanvas } from './LabelCanvas';
import { SHORTCUTS, handleShortcut } from './shortcuts';


/** Files of a drop, walking dropped folders (webkitGetAsEntry) so their paths are kept. */
async function droppedFiles(dt: DataTransfer): Promise<UploadFile[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (!entries.length) return [...dt.files].map((file) => ({ file }));
  const out: UploadFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ file, path: `${prefix}${file.name}` });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}

function Toolbar({ dataset }: { dataset: Dataset }) {
  const save = useDatasetsStore((s) => s.save);
  const history = useDatasetsStore((s) => s.history);
  const job = useDatasetsStore((s) => s.job);
  const [format, setFormat] = useState<ExportFormat>('coco');
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const pick = (input: HTMLInputElement | null) => input?.click();
  const onFiles = (list: FileList | null) => list && void addFiles([...list].map((file) => ({ file })));
  return (
    <div className="toolbar row" role="toolbar" aria-label="Dataset tools">
      <button type="button" onClick={() => void closeDataset()}>← Datasets</button>
      <input className="title-input" aria-label="Dataset name" defaultValue={dataset.name} key={dataset.name} onBlur={(e) => renameDataset(e.target.value)} />
      <span className="badge">{dataset.task}</span>
      <button type="button" onClick={() => pick(files.current)} disabled={!!job}>Add images</button>
      <button type="button" onClick={() => pick(folder.current)} disabled={!!job}>Add folder</button>
      <input ref={files} type="file" accept="image/*" multiple hidden aria-label="Image files" data-testid="add-images-input" onChange={(e) => (onFiles(e.target.files), (e.target.value = ''))} />
      <input ref={folder} type="file" multiple hidden aria-label="Image folder" {...{ webkitdirectory: '' }} onChange={(e) => (onFiles(e.target.files), (e.target.value = ''))} />
      <button type="button" onClick={() => undo()} disabled={!history.past.length} title={history.past.length ? `Undo ${history.past.at(-1)!.label} (Ctrl+Z)` : 'Nothing to undo'}>Undo</button>
      <button type="button" onClick={() => redo()} disabled={!history.future.length} title={history.future.length ? `Redo ${history.future.at(-1)!.label} (Ctrl+Shift+Z)` : 'Nothing to redo'}>Redo</button>
      <span className="row">
        <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
          {EXPORT_FORMATS.map((f) => (
            <option key={f.id} value={f.id} title={f.detail}>{f.label}</option>
          ))}
        </select>
        <button type="button" disabled={!!job || !dataset.images.length} onClick={async () => {
          const out = await exportOpenDataset(format);
          if (out) saveBlob(out.blob, out.fileName);
        }}>Export</button>
      </span>
      <button type="button" aria-label="Keyboard shortcuts" onClick={() => setShortcutsOpen(true)}>?</button>
      <span className={`save-status ${save.status}`} role="status" aria-label="Save status">
        {save.status === 'saved' ? 'All changes saved' : save.status === 'saving' ? 'Saving…' : `Not saved: ${save.error}`}
        {save.status === 'error' && <button type="button" onClick={() => void retrySave()}>Retry</button>}
      </span>
    </div>
  );
}

function BoxList({ dataset, image }: { dataset: Dataset; image: DatasetImage }) {
  const selected = useEditorStore((s) => s.selected);
  if (dataset.task === 'classification') {
    return (
      <section className="box-list" aria-label="Image label">
        <h3>Label</h3>
        <div role="radiogroup" aria-label="Image class" className="label-choices">
          {dataset.classes.map((c, i) => (
            <label key={c.id} style={{ borderColor: c.color }}>
              <input type="radio" name="image-class" checked={image.classId === c.id} onChange={() => setImageLabel(c.id)} /> {i < 9 ? `${i + 1}. ` : ''}{c.name}
            </label>
          ))}
        </div>
        {image.classId !== undefined && <button type="button" onClick={() => setImageLabel(undefined)}>Clear label</button>}
        {!dataset.classes.length && <p className="muted">Add classes on the left, then press 1–9.</p>}
      </section>
    );
  }
  return (
    <section className="box-list" aria-label="Boxes">
      <h3>Boxes ({image.annotations.length})</h3>
      {!image.annotations.length && <p className="muted">Drag on the image to draw a box of the active class.</p>}
      <ol>
        {image.annotations.map((a) => (
          <li key={a.id} className={selected.includes(a.id) ? 'selected' : ''} aria-label={`Box ${dataset.classes.find((c) => c.id === a.classId)?.name ?? '?'} at ${a.box.map((v) => Math.round(v)).join(', ')}`} onClick={() => selectBoxes([a.id])}>
            <select aria-label="Box class" value={a.classId} onChange={(e) => setBoxClass(a.id, Number(e.target.value))}>
              {dataset.classes.map((c) => (
                <option key={c.id} value={c.id}>{c.name}</option>
              ))}
            </select>
            <span className="mono">[{a.box.map((v) => Math.round(v)).join(', ')}]</span>
            {dataset.task === 'grounding' && (
              <input aria-label="Referring expression" placeholder="the object that…" defaultValue={a.expression ?? ''} key={`${a.id}-${a.expression ?? ''}`} onBlur={(e) => setExpression(a.id, e.target.value.trim())} onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()} />
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function ShortcutsOverlay() {
  const open = useEditorStore((s) => s.showShortcuts);
  if (!open) return null;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={() => setShortcutsOpen(false)}>
      <div className="card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <th><kbd>{s.keys}</kbd></th>
                <td>{s.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => setShortcutsOpen(false)}>Close</button>
      </div>
    </div>
  );
}

export function DatasetEditor() {
  const open = useDatasetsStore((s) => s.open)!;
  const job = useDatasetsStore((s) => s.job);
  const imageId = useEditorStore((s) => s.imageId);
  const [dragging, setDragging] = useState(false);
  const dataset = open.dataset;
  const image = dataset.images.find((im) => im.id === imageId) ?? null;

  useEffect(() => {
    resetEditor(useDatasetsStore.getState().open?.dataset ?? null);
    return () => releaseThumbs();
  }, [open.id]);
  useEffect(() => {
    if (!image && dataset.images.length) useEditorStore.setState({ imageId: dataset.images[0].id });
  }, [image, dataset.images]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => void handleShortcut(e);
    const onPaste = (e: ClipboardEvent) => {
      const files = [...(e.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
      if (!files.length) return;
      e.preventDefault();
      void addFiles(files.map((file) => ({ file })));
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
    };
  }, []);

  return (
    <div
      className={`editor${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if ([...e.dataTransfer.types].includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={async (e) => {
        e.preventDefault();
        setDragging(false);
        void addFiles(await droppedFiles(e.dataTransfer));
      }}
    >
      <Toolbar dataset={dataset} />
      {job && (
        <div className="job" role="progressbar" aria-label={job.label} aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done}>
          {job.label}… {job.done}/{job.total}
        </div>
      )}
      <div className="editor-body">
        <ClassPanel dataset={dataset} />
        <div className="canvas-column">
          {image ? <LabelCanvas dataset={dataset} image={image} /> : <div className="canvas-wrap empty-canvas">Add images to start labeling: drop files or a folder here, use Add images, or paste.</div>}
          {image && (
            <div className="row image-meta">
              <strong>{image.fileName}</strong>
              <span className="muted">{image.width}×{image.height}</span>
              <button type="button" onClick={() => window.confirm(`Remove ${image.fileName} from the dataset? (Ctrl+Z undoes it.)`) && edit((d) => deleteImages(d, [image.id]))}>Remove image</button>
            </div>
          )}
        </div>
        {image && <BoxList dataset={dataset} image={image} />}
        <ImageGrid dataset={dataset} />
      </div>
      <ShortcutsOverlay />
    </div>
  );
}
