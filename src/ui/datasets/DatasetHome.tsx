/**
 * The datasets page: saved datasets (open, delete), a new empty dataset of a task, a dataset generated from the
 * synthetic world, an import of COCO/YOLO/VOC files, and how much browser storage the app uses.
 */
import { useMemo, useRef, useState } from 'react';
import { TASKS, type Task, type WorldDatasetSpec, generateDataset, importDataset, worldCategories } from '../../state/datasetIO';
import { createDataset, deleteDatasetById, openDataset, useDatasetsStore } from '../../state/datasetStore';
import { startHere } from '../../state/startHere';
import { Notices } from './Notices';

const bytes = (n: number) => (n > 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n > 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.round(n / 1e3)} kB`);

function Storage() {
  const storage = useDatasetsStore((s) => s.storage);
  if (!storage) return null;
  const pct = storage.quota ? (100 * storage.usage) / storage.quota : 0;
  return (
    <p className="muted" aria-label="Storage usage">
      Browser storage: {bytes(storage.usage)} used of {bytes(storage.quota)} available ({pct.toFixed(pct < 1 ? 2 : 0)} %).
    </p>
  );
}

function NewDataset() {
  const [name, setName] = useState('');
  const [task, setTask] = useState<Task>('detection');
  return (
    <form className="card" aria-label="New dataset" onSubmit={async (e) => {
      e.preventDefault();
      const id = await createDataset(name || `New ${task} dataset`, task);
      await openDataset(id);
    }}>
      <h2>New dataset</h2>
      <div className="row">
        <label className="field">Name<input value={name} onChange={(e) => setName(e.target.value)} placeholder={`New ${task} dataset`} /></label>
        <label className="field">Task
          <select value={task} onChange={(e) => setTask(e.target.value as Task)}>
            {TASKS.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <button type="submit">Create dataset</button>
      </div>
    </form>
  );
}

function GenerateWorld() {
  const [task, setTask] = useState<Task>('detection');
  const [chosen, setChosen] = useState<string[]>(['bus', 'train', 'stop sign', 'cat', 'dog', 'bed', 'toilet']);
  const [shots, setShots] = useState(4);
  const [evalShots, setEvalShots] = useState(4);
  const [seed, setSeed] = useState(1);
  const [ood, setOod] = useState(false);
  const [query, setQuery] = useState('');
  const cats = useMemo(() => worldCategories(task), [task]);
  const job = useDatasetsStore((s) => s.job);
  const shown = cats.filter((c) => !query || c.name.includes(query.toLowerCase()) || c.family.includes(query.toLowerCase()) || c.split === query.toLowerCase());
  const valid = chosen.filter((n) => cats.some((c) => c.name === n));
  const spec: WorldDatasetSpec = { task, categories: valid, shots, evalShots, seed, ood };
  const count = task === 'grounding' ? shots + evalShots : valid.length * (shots + evalShots);
  return (
    <form className="card" aria-label="Generate from the world" onSubmit={(e) => {
      e.preventDefault();
      void generateDataset(`World ${task} ${task === 'grounding' ? '' : `${valid.length} classes `}${shots}-shot`, spec).then((id) => (id ? openDataset(id) : false));
    }}>
      <h2>Generate from the synthetic world</h2>
      <p className="muted">Seeded scenes with exact labels: few-shot sets of chosen categories (novel ones are held out from the base policy's pretraining).</p>
      <div className="row">
        <label className="field">Task
          <select value={task} onChange={(e) => setTask(e.target.value as Task)}>
            {TASKS.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label className="field">{task === 'grounding' ? 'Train images' : 'Train images per category'}<input type="number" min={1} max={200} value={shots} onChange={(e) => setShots(Math.max(1, e.target.valueAsNumber || 1))} /></label>
        <label className="field">{task === 'grounding' ? 'Eval images' : 'Eval images per category'}<input type="number" min={0} max={200} value={evalShots} onChange={(e) => setEvalShots(Math.max(0, e.target.valueAsNumber || 0))} /></label>
        <label className="field">Seed<input type="number" value={seed} onChange={(e) => setSeed(e.target.valueAsNumber || 0)} /></label>
        <label><input type="checkbox" checked={ood} onChange={(e) => setOod(e.target.checked)} /> Drawing style (OOD)</label>
      </div>
      {task !== 'grounding' && (
        <fieldset className="category-picker">
          <legend>Categories ({valid.length} chosen)</legend>
          <div className="row">
            <input aria-label="Filter categories" placeholder="filter: name, family, base, novel" value={query} onChange={(e) => setQuery(e.target.value)} />
            <button type="button" onClick={() => setChosen([...new Set([...valid, ...shown.map((c) => c.name)])])}>Choose shown</button>
            <button type="button" onClick={() => setChosen([])}>Clear</button>
          </div>
          <div className="category-list">
            {shown.map((c) => (
              <label key={c.name} title={`${c.family}, ${c.split}`}>
                <input type="checkbox" aria-label={c.name} checked={valid.includes(c.name)} onChange={(e) => setChosen(e.target.checked ? [...valid, c.name] : valid.filter((n) => n !== c.name))} /> {c.name}
                {c.split === 'novel' && <span className="pill">novel</span>}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <button type="submit" disabled={!!job || (task !== 'grounding' && !valid.length)}>Generate {count} images</button>
      <Notices where="generate" />
    </form>
  );
}

function Import() {
  const input = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const job = useDatasetsStore((s) => s.job);
  const go = async (list: FileList | null) => {
    if (!list?.length) return;
    const id = await importDataset([...list].map((file) => ({ file })));
    if (id) await openDataset(id);
  };
  return (
    <section className="card" aria-label="Import">
      <h2>Import</h2>
      <p className="muted">COCO JSON, YOLO (classes.txt or data.yaml with labels/*.txt) or Pascal VOC XML, with their images: a zip, a folder, or the files together.</p>
      <div className="row">
        <button type="button" disabled={!!job} onClick={() => input.current?.click()}>Import files or zip</button>
        <button type="button" disabled={!!job} onClick={() => folder.current?.click()}>Import folder</button>
        <input ref={input} type="file" multiple hidden aria-label="Import files" accept=".zip,.json,.txt,.yaml,.yml,.xml,image/*" onChange={(e) => (void go(e.target.files), (e.target.value = ''))} />
        <input ref={folder} type="file" multiple hidden aria-label="Import folder" {...{ webkitdirectory: '' }} onChange={(e) => (void go(e.target.files), (e.target.value = ''))} />
      </div>
      <Notices where="import" />
    </section>
  );
}

function StartHere() {
  const job = useDatasetsStore((s) => s.job);
  return (
    <section className="card start-here" aria-label="Start here">
      <h2>Start here</h2>
      <p>
        New to the workbench? Make a small detection set from the synthetic world (three categories the base policy has never seen, four training and two
        held-out images each) and fine-tune the base policy on it with RFT: curves move within a minute.
      </p>
      <button type="button" disabled={!!job} onClick={() => void startHere().then((id) => { if (id) window.location.hash = '/train'; })}>
        Make a starter set and open Train
      </button>
    </section>
  );
}

export function DatasetHome() {
  const list = useDatasetsStore((s) => s.list);
  const status = useDatasetsStore((s) => s.listStatus);
  const job = useDatasetsStore((s) => s.job);
  return (
    <div className="stack">
      {status === 'ready' && list.length < 2 && <StartHere />}
      <section className="card" aria-label="Saved datasets">
        <h2>Datasets</h2>
        {status === 'loading' && <p className="muted">Reading saved datasets…</p>}
        {status === 'ready' && !list.length && <p className="muted">No datasets yet. Few-shot datasets you build here are the training data for SFT and RFT runs.</p>}
        {list.length > 0 && (
          <table>
            <thead><tr><th>Name</th><th>Task</th><th>Images</th><th>Classes</th><th>Changed</th><th /></tr></thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.id}>
                  <td><button type="button" className="link" onClick={() => void openDataset(d.id)} aria-label={`Open ${d.name}`}>{d.name}</button></td>
                  <td>{d.task}</td>
                  <td>{d.imageCount}</td>
                  <td>{d.classes.length}</td>
                  <td>{new Date(d.updatedAt).toLocaleString()}</td>
                  <td><button type="button" aria-label={`Delete ${d.name}`} onClick={() => window.confirm(`Delete "${d.name}" with its ${d.imageCount} images? This cannot be undone.`) && void deleteDatasetById(d.id)}>Delete</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Storage />
      </section>
      {job && <div className="job" role="progressbar" aria-label={job.label} aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done}>{job.label}… {job.done}/{job.total}</div>}
      <NewDataset />
      <GenerateWorld />
      <Import />
    </div>
  );
}
