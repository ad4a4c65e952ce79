/**
 * The class list: add, rename, recolour, merge and delete classes, with per-class counts; the active class (for
 * new boxes) is picked here or with keys 1–9. Names render as React text, never as HTML.
 */
import { useState } from 'react';
import { type Dataset, edit, notify } from '../../state/datasetStore';
import { addClass, classCounts, deleteClass, mergeClasses, recolorClass, renameClass, setActiveClass, setFilter, useEditorStore } from '../../state/editorStore';

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4', '#469990', '#dcbeff', '#9a6324', '#800000', '#aaffc3', '#808000', '#000075'];

export function ClassPanel({ dataset }: { dataset: Dataset }) {
  const active = useEditorStore((s) => s.activeClassId);
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  const counts = classCounts(dataset);
  const add = () => {
    if (!name.trim()) return;
    if (edit((d) => addClass(d, name, PALETTE[d.classes.length % PALETTE.length]))) {
      const added = dataset.classes.reduce((m, c) => Math.max(m, c.id + 1), 0);
      setActiveClass(added);
      setName('');
    }
  };
  return (
    <section className="class-panel" aria-label="Classes">
      <h3>Classes</h3>
      <ul className="class-list">
        {dataset.classes.map((c, i) => {
          const n = counts.get(c.id)!;
          return (
            <li key={c.id} className={c.id === active ? 'active' : ''}>
              <input type="color" aria-label={`Colour of ${c.name}`} value={c.color} onChange={(e) => edit((d) => recolorClass(d, c.id, e.target.value))} />
              {editing === c.id ? (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (edit((d) => renameClass(d, c.id, draft)) || draft.trim() === c.name) setEditing(null);
                  }}
                >
                  <input autoFocus aria-label={`New name for ${c.name}`} value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={() => setEditing(null)} onKeyDown={(e) => e.key === 'Escape' && setEditing(null)} />
                </form>
              ) : (
                <button type="button" className="class-name" aria-pressed={c.id === active} onClick={() => setActiveClass(c.id)} onDoubleClick={() => (setEditing(c.id), setDraft(c.name))} title="Click: active class; double-click: rename">
                  {i < 9 && <kbd>{i + 1}</kbd>} {c.name}
                </button>
              )}
              <span className="muted count" aria-label={`${c.name}: ${n.boxes} boxes in ${n.images} images`}>
                {dataset.task === 'classification' ? n.images : n.boxes}
              </span>
              <details className="class-menu">
                <summary aria-label={`Actions for ${c.name}`}>⋯</summary>
                <div className="menu">
                  <button type="button" onClick={() => (setEditing(c.id), setDraft(c.name))}>Rename</button>
                  <button type="button" onClick={() => setFilter({ classId: c.id })}>Show its images</button>
                  {dataset.classes.length > 1 && (
                    <label>
                      Merge into{' '}
                      <select aria-label={`Merge ${c.name} into`} value="" onChange={(e) => e.target.value !== '' && edit((d) => mergeClasses(d, c.id, Number(e.target.value)))}>
                        <option value="">…</option>
                        {dataset.classes.filter((o) => o.id !== c.id).map((o) => (
                          <option key={o.id} value={o.id}>{o.name}</option>
                        ))}
                      </select>
                    </label>
                  )}
                  <button
                    type="button"
                    onClick={() => {
                      const what = dataset.task === 'classification' ? `${n.images} image labels` : `${n.boxes} boxes`;
                      if (n.images === 0 || window.confirm(`Delete class "${c.name}" and its ${what}? (Ctrl+Z undoes it.)`)) {
                        edit((d) => deleteClass(d, c.id));
                        notify('info', `Deleted class "${c.name}". Ctrl+Z brings it back.`);
                      }
                    }}
                  >
                    Delete
                  </button>
                </div>
              </details>
            </li>
          );
        })}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <input aria-label="New class name" placeholder="New class" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit">Add class</button>
      </form>
    </section>
  );
}
