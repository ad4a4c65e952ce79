import { useState } from 'react';
import { usePolicyStore } from '../../state/modelsStore';
import { type TryResult, type TrySplit, promptChoices, tryImageFile, tryWorldScene, useTryStore } from '../../state/tryPolicyStore';

type Task = TryResult['task'];

/** The picture with the policy's boxes (solid) and, for a world scene, the true ones (dashed), in 0–1000 coordinates. */
function Picture({ r }: { r: TryResult }) {
  const w = 1000 * Math.max(1, r.aspect);
  const h = 1000 * Math.max(1, 1 / r.aspect);
  const px = (b: number[]) => ({ x: (b[0] / 1000) * w, y: (b[1] / 1000) * h, width: ((b[2] - b[0]) / 1000) * w, height: ((b[3] - b[1]) / 1000) * h });
  return (
    <svg className="try-picture" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`Image with ${r.boxes.length} predicted box${r.boxes.length === 1 ? '' : 'es'}${r.truth ? ` and ${r.truth.boxes.length} true` : ''}`}>
      <image href={r.imageUrl} x={0} y={0} width={w} height={h} preserveAspectRatio="none" style={{ imageRendering: 'pixelated' }} />
      {r.truth?.boxes.map((b, i) => (
        <rect key={`t${i}`} {...px(b.box)} fill="none" stroke="#16a34a" strokeWidth={w / 150} strokeDasharray={`${w / 60} ${w / 90}`} data-testid="true-box" />
      ))}
      {r.boxes.map((b, i) => (
        <g key={`p${i}`} data-testid="predicted-box">
          <rect {...px(b.box)} fill="none" stroke="#dc2626" strokeWidth={w / 150} />
          {b.confidence !== undefined && (
            <text x={px(b.box).x + w / 100} y={px(b.box).y + w / 22} fontSize={w / 24} fill="#dc2626" stroke="white" strokeWidth={w / 400} paintOrder="stroke">
              {b.confidence.toFixed(2)}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}

/** What the current policy learned to see from, said beside its answer on a picture of the user's. */
function TrainedOn() {
  const summary = usePolicyStore((s) => s.summary);
  if (!summary) return null;
  const tower = summary.config.tower;
  return (
    <p role="note" className="trained-on">
      {tower
        ? `This policy reads a COCO-trained vision tower (${tower.name}), but its language model was trained only on the synthetic world's emoji scenes (and any dataset you fine-tuned it on):`
        : `This policy learned to see only from the synthetic world's ${summary.config.imageSize}×${summary.config.imageSize} emoji scenes (and any dataset you fine-tuned it on); it has never seen a photograph:`}{' '}
      a wrong answer on a photo says what it was trained on, not what RFT can do. Fine-tune it on a few labelled photos of yours to see that.
    </p>
  );
}

function Reading({ r }: { r: TryResult }) {
  return (
    <div className="try-reading">
      <p className="muted">{r.question.split('\n')[0]}</p>
      {!r.truth && <TrainedOn />}
      <h3>Reasoning</h3>
      <p aria-label="Policy reasoning">{r.think ?? <em>no &lt;think&gt; block</em>}</p>
      <h3>Answer</h3>
      <p className="mono" aria-label="Policy answer">
        {r.answer ?? <em>no &lt;answer&gt; block</em>}
      </p>
      {r.problem && <p role="note">Unreadable answer: {r.problem}.</p>}
      {r.invalid > 0 && <p role="note">{r.invalid} entr{r.invalid === 1 ? 'y is' : 'ies are'} not a valid box (they count as wrong predictions).</p>}
      {r.truth && (
        <p>
          Truth: {r.task === 'classification' ? r.truth.label : r.truth.boxes.length ? `${r.truth.boxes.length} box${r.truth.boxes.length === 1 ? '' : 'es'} (dashed green; the policy's are red)` : 'No Objects'}
        </p>
      )}
      {r.rewards && (
        <table aria-label="Rewards of this completion">
          <tbody>
            {Object.entries(r.rewards).map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>{v.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>Raw completion</summary>
        <p className="mono">{r.completion}</p>
      </details>
    </div>
  );
}

export function TryPolicy() {
  const { status, result, error } = useTryStore();
  const hasPolicy = usePolicyStore((s) => !!s.summary);
  const [source, setSource] = useState<'world' | 'file'>('world');
  const [task, setTask] = useState<Task>('detection');
  const [split, setSplit] = useState<TrySplit>('base');
  const [seed, setSeed] = useState(1);
  const [file, setFile] = useState<File | null>(null);
  const [prompt, setPrompt] = useState('');
  const choices = promptChoices(task);
  const running = status === 'running';
  const go = (s = seed) => (source === 'world' ? tryWorldScene(task, split, s) : file && tryImageFile(file, task, prompt));
  return (
    <section className="card" aria-labelledby="try-title">
      <h2 id="try-title">Try the policy</h2>
      <p className="muted">One greedy completion of the current policy: its reasoning beside the boxes it draws.</p>
      <div className="row">
        <label className="field">
          Image
          <select value={source} onChange={(e) => setSource(e.target.value as 'world' | 'file')}>
            <option value="world">World scene</option>
            <option value="file">My image</option>
          </select>
        </label>
        <label className="field">
          Task
          <select
            value={task}
            onChange={(e) => {
              setTask(e.target.value as Task);
              setPrompt('');
            }}
          >
            <option value="detection">Detection</option>
            <option value="classification">Classification</option>
            <option value="grounding">Reasoning grounding</option>
          </select>
        </label>
        {source === 'world' ? (
          <>
            <label className="field">
              Scene categories
              <select value={split} onChange={(e) => setSplit(e.target.value as TrySplit)}>
                <option value="base">Base</option>
                <option value="novel">Novel</option>
                <option value="ood">Out of distribution</option>
              </select>
            </label>
            <label className="field">
              Scene seed
              <input type="number" min={0} value={seed} onChange={(e) => Number.isInteger(e.target.valueAsNumber) && setSeed(e.target.valueAsNumber)} />
            </label>
          </>
        ) : (
          <>
            <label className="file-button">
              {file ? file.name : 'Choose image'}
              <input type="file" accept="image/*" aria-label="Image to try" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </label>
            {choices.length ? (
              <label className="field">
                {task === 'detection' ? 'Category' : 'Family'}
                <select value={prompt} onChange={(e) => setPrompt(e.target.value)}>
                  <option value="">choose…</option>
                  {choices.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <label className="field">
                Description
                <input type="text" value={prompt} placeholder="the largest red object" onChange={(e) => setPrompt(e.target.value)} />
              </label>
            )}
          </>
        )}
        <button type="button" disabled={!hasPolicy || running || (source === 'file' && (!file || !prompt.trim()))} onClick={() => void go()}>
          {running ? 'Running…' : 'Run the policy'}
        </button>
        {source === 'world' && (
          <button
            type="button"
            disabled={!hasPolicy || running}
            onClick={() => {
              setSeed(seed + 1);
              void go(seed + 1);
            }}
          >
            Next scene
          </button>
        )}
      </div>
      {!hasPolicy && <p className="muted">Load a policy first (Current policy, above).</p>}
      {error && <p role="alert">{error}</p>}
      {result && (
        <div className="try-result" aria-label="Policy output">
          <Picture r={result} />
          <Reading r={result} />
        </div>
      )}
    </section>
  );
}
