import { useEffect, useState } from 'react';
import { BASE_ID, type CheckpointInfo, deleteCheckpointById, downloadCheckpoint, makeCurrent, refreshCheckpoints, renameCheckpoint, useCheckpointsStore } from '../../state/checkpointsStore';
import { usePolicyStore } from '../../state/modelsStore';

const fmtTime = (s: number) => (s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

/** One line of where a checkpoint came from. */
function provenanceText(c: CheckpointInfo): string {
  const p = c.provenance;
  if (!p) return 'uploaded file';
  const data = p.data.kind === 'dataset' ? `dataset “${p.data.datasetName}” (${p.data.split})` : `a world ${p.data.task} set (${p.data.split}, ${p.data.count} samples, seed ${p.data.seed})`;
  const m = p.finalMetrics;
  const last = ['eval/map', 'eval/accuracy', 'eval/miou', 'reward', 'loss'].filter((k) => typeof m[k] === 'number').map((k) => `${k} ${m[k].toFixed(3)}`);
  return `${p.method === 'grpo' ? 'RFT' : 'SFT'} of “${p.parent.name}” (${p.parent.sha256.slice(0, 8)}) on ${data}, ${p.steps} steps in ${fmtTime(p.wallSeconds)}${last.length ? `; final ${last.join(', ')}` : ''}`;
}

function Row({ c, current, busy }: { c: CheckpointInfo | null; current: boolean; busy: boolean }) {
  const id = c?.id ?? BASE_ID;
  const name = c?.name ?? 'base policy';
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  return (
    <tr aria-label={`Model ${name}`} aria-current={current ? 'true' : undefined}>
      <td>
        {editing ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setEditing(false);
              void renameCheckpoint(id, draft);
            }}
          >
            <input aria-label={`New name for ${name}`} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} onBlur={() => setEditing(false)} />
          </form>
        ) : (
          <strong>{name}</strong>
        )}
        {current && <span className="badge badge-ready"> current</span>}
        <div className="muted">{c ? provenanceText(c) : 'shipped with the app (pretrained on the synthetic world); always here'}</div>
      </td>
      <td className="row">
        <button type="button" disabled={current || busy} onClick={() => void makeCurrent(id)}>
          Make current
        </button>
        {c && (
          <button type="button" onClick={() => { setDraft(name); setEditing(true); }}>
            Rename
          </button>
        )}
        <button type="button" onClick={() => void downloadCheckpoint(id)}>
          Download
        </button>
        {c && (
          <button type="button" disabled={current} title={current ? 'make another model current first' : undefined} onClick={() => window.confirm(`Delete “${name}” from this browser?`) && void deleteCheckpointById(id)}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

/** Every model of this browser: the shipped base and the checkpoints runs produced or the user uploaded. */
export function ModelList() {
  const { list, currentId, error } = useCheckpointsStore();
  const busy = usePolicyStore((s) => s.status === 'busy');
  useEffect(() => {
    void refreshCheckpoints();
  }, []);
  return (
    <section className="card" aria-labelledby="models-title">
      <h2 id="models-title">Models</h2>
      <p className="muted">A run never changes the model it started from: it adds a new one here, with where it came from. A checkpoint file loaded above is kept here too.</p>
      <table aria-label="Models">
        <tbody>
          <Row c={null} current={currentId === BASE_ID} busy={busy} />
          {list.map((c) => (
            <Row key={c.id} c={c} current={currentId === c.id} busy={busy} />
          ))}
        </tbody>
      </table>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
