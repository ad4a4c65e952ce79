import { useDeferredValue } from 'react';
import { explainFrom } from '../../state/explainStore';
import { type InspectedCompletion, type InspectedGroup, setInspector, useInspectorStore } from '../../state/rolloutLog';
import { BoxPicture } from './BoxPicture';

const COLORS = ['#1d6fb8', '#c2410c', '#2a9d4b', '#8b5cf6', '#d97706', '#0891b2', '#be185d', '#65a30d'];
const colorOf = (i: number) => COLORS[i % COLORS.length];

function CompletionRow({ c, index, g, step, imageUrl }: { c: InspectedCompletion; index: number; g: InspectedGroup; step: number; imageUrl?: string }) {
  const name = `#${c.promptIndex + 1}.${index + 1}`;
  return (
    <tr>
      <td>
        <span className="swatch" style={{ background: colorOf(index) }} aria-hidden="true" /> {name}{' '}
        <button
          type="button"
          className="link"
          aria-label={`Explain completion ${name}`}
          onClick={() => {
            explainFrom({ task: g.task, completion: c.completion, solution: g.solution, imageUrl, origin: `rollout ${name} of step ${step}` });
            window.location.hash = '/compare';
          }}
        >
          Explain
        </button>
      </td>
      <td className="mono">
        {c.think !== null && <div className="think">{c.think}</div>}
        <div>{c.completion}</div>
        {c.problem && <div className="muted">{c.problem}</div>}
      </td>
      <td>
        {Object.entries(c.rewards)
          .map(([k, v]) => `${k} ${(v as number).toFixed(2)}`)
          .join(', ')}
      </td>
      <td>{c.reward.toFixed(3)}</td>
      <td>{c.advantage.toFixed(2)}</td>
      <td>{c.clipped ? 'yes' : 'no'}</td>
    </tr>
  );
}

/** Each prompt of a step with its G completions: pictures, boxes, reasoning, rewards, advantages. */
export function RolloutInspector() {
  const { steps: liveSteps, selected, sort, onlySignal, images, questions } = useInspectorStore();
  // A step's groups mount dozens of pictures and rows: rendered as a deferred (interruptible) update, so the page
  // answers input between its parts instead of in one long task.
  const steps = useDeferredValue(liveSteps);
  const all = Object.keys(steps).map(Number).sort((a, b) => a - b);
  if (!all.length) return null;
  const step = selected !== null && steps[selected] ? selected : all[all.length - 1];
  const groups = steps[step].filter((g) => !onlySignal || !g.noSignal);
  const order = (cs: InspectedCompletion[]) => (sort === 'order' ? cs : [...cs].sort((a, b) => (sort === 'reward' ? b.reward - a.reward : b.advantage - a.advantage)));
  return (
    <section className="card inspector-card" aria-labelledby="inspector-title">
      <h2 id="inspector-title">Rollout inspector: step {step}</h2>
      <div className="row">
        <label className="field">
          Step
          <input type="number" min={all[0]} max={all[all.length - 1]} value={step} onChange={(e) => setInspector({ selected: Number.isFinite(e.target.valueAsNumber) ? e.target.valueAsNumber : null })} />
        </label>
        <button type="button" onClick={() => setInspector({ selected: null })} disabled={selected === null}>
          Follow the newest step
        </button>
        <label className="field">
          Sort completions by
          <select value={sort} onChange={(e) => setInspector({ sort: e.target.value as typeof sort })}>
            <option value="order">sampling order</option>
            <option value="reward">reward</option>
            <option value="advantage">advantage</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={onlySignal} onChange={(e) => setInspector({ onlySignal: e.target.checked })} /> Only groups with a learning signal
        </label>
      </div>
      <div className="inspector-groups">
        {groups.map((g) => (
          <article key={g.promptIndex} className="inspector-group" aria-label={`Prompt ${g.promptIndex + 1}`}>
            <BoxPicture url={images[g.itemIndex]} truth={g.truth.boxes} sets={g.completions.map((c, ci) => ({ color: colorOf(ci), boxes: c.boxes }))} label={`Prompt ${g.promptIndex + 1}: ${g.truth.boxes.length} true box(es), ${g.completions.reduce((n, c) => n + c.boxes.length, 0)} predicted`} />
            <div>
              {(g.question ?? questions[g.itemIndex]) && (
                <p>
                  <strong>asks: {g.question ?? questions[g.itemIndex]}</strong>
                </p>
              )}
              <p className="muted">
                truth: {g.solution}
                {g.noSignal && <strong className="no-signal"> · every completion got the same reward: no learning signal</strong>}
              </p>
            </div>
          </article>
        ))}
      </div>
      <table aria-label="Rollouts">
        <thead>
          <tr>
            <th>Completion</th>
            <th>Text</th>
            <th>Rewards</th>
            <th>Total</th>
            <th>Advantage</th>
            <th>Clipped</th>
          </tr>
        </thead>
        <tbody>
          {groups.flatMap((g) => order(g.completions).map((c) => <CompletionRow key={`${g.promptIndex}-${g.completions.indexOf(c)}`} c={c} index={g.completions.indexOf(c)} g={g} step={step} imageUrl={images[g.itemIndex]} />))}
        </tbody>
      </table>
    </section>
  );
}
