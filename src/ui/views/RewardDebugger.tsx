import { type ExplainForm, explainNow, setExplainForm, setExplainImage, useExplainStore } from '../../state/explainStore';
import { BoxPicture } from './BoxPicture';

/** Why a completion scored what it did: the parse, the matching, each reward's arithmetic, and warnings. */
export function RewardDebugger() {
  const { form, result, imageUrl, origin, imageError, drawn } = useExplainStore();
  return (
    <section className="card" aria-labelledby="debugger-title">
      <h2 id="debugger-title">Reward debugger</h2>
      <p className="muted">
        Paste a completion and its solution (docs/design.md §2 text, 0–1000 coordinates), or pick one with Explain in Compare or the rollout inspector, to see every step of the scoring, as <code>npm run explain</code> shows it for the scorer&apos;s files.
      </p>
      <div className="form-grid">
        <label className="field">
          Task
          <select value={form.task} onChange={(e) => setExplainForm({ task: e.target.value as ExplainForm['task'] })}>
            <option value="detection">Detection</option>
            <option value="classification">Classification</option>
            <option value="grounding">Reasoning grounding</option>
          </select>
        </label>
        <label className="field">
          Reward mode
          <select value={form.mode} onChange={(e) => setExplainForm({ mode: e.target.value as ExplainForm['mode'] })}>
            <option value="reference">reference</option>
            <option value="strict">strict</option>
          </select>
        </label>
        <label className="field">
          Image width (px)
          <input type="number" min={0} value={form.width} onChange={(e) => setExplainForm({ width: e.target.valueAsNumber || 0 })} />
        </label>
        <label className="field">
          Image height (px)
          <input type="number" min={0} value={form.height} onChange={(e) => setExplainForm({ height: e.target.valueAsNumber || 0 })} />
        </label>
      </div>
      <label className="field">
        Image (optional, to draw the boxes over){' '}
        <input type="file" accept="image/*" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void setExplainImage(f); }} />
      </label>
      {imageError && (
        <p role="alert" className="error">
          {imageError}
        </p>
      )}
      {origin && <p className="muted" aria-label="Explained completion">From {origin}.</p>}
      <label className="field">
        Completion
        <textarea rows={3} className="mono" value={form.completion} onChange={(e) => setExplainForm({ completion: e.target.value })} />
      </label>
      <label className="field">
        Solution
        <textarea rows={2} className="mono" value={form.solution} onChange={(e) => setExplainForm({ solution: e.target.value })} />
      </label>
      <div className="row">
        <button type="button" className="primary" onClick={() => explainNow()}>
          Explain the rewards
        </button>
      </div>
      {result && (
        <div aria-label="Explanation">
          {result.warnings.length > 0 && (
            <ul className="warnings" aria-label="Reward warnings">
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          {drawn && (
            <div className="debugger-picture">
              <BoxPicture url={imageUrl} truth={drawn.truth} sets={[{ color: '#1d6fb8', boxes: drawn.pred }]} label={`Boxes: ${drawn.truth.length} true (dashed), ${drawn.pred.length} predicted`} />
            </div>
          )}
          <table aria-label="Rewards">
            <tbody>
              {Object.entries(result.rewards).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{v}</td>
                  <td className="muted">{result.arithmetic[k as keyof typeof result.arithmetic] ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ol aria-label="Scoring steps">
            {result.steps.map((s, i) => (
              <li key={i}>
                <strong>{s.name}</strong>: <span className="mono">{s.detail}</span>
              </li>
            ))}
          </ol>
          {result.matches.length > 0 && (
            <table aria-label="Matching">
              <thead>
                <tr>
                  <th>Prediction (confidence order)</th>
                  <th>Confidence</th>
                  <th>Best true box</th>
                  <th>IoU</th>
                  <th>Matched</th>
                </tr>
              </thead>
              <tbody>
                {result.matches.map((m, i) => (
                  <tr key={i}>
                    <td className="mono">{m.box ? `[${m.box.join(', ')}]` : 'invalid'}</td>
                    <td>{m.confidence ?? '—'}</td>
                    <td>{m.bestTruth >= 0 ? m.bestTruth + 1 : '—'}</td>
                    <td>{m.iou.toFixed(3)}</td>
                    <td>{m.matched ? 'yes (IoU > 0.5)' : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
