import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type HistoryRow, chartRows, runWarnings } from '../../state/chartSeries';
import { useCheckpointsStore } from '../../state/checkpointsStore';
import { setInspector } from '../../state/rolloutLog';
import { setChartOptions, useTrainStore } from '../../state/trainStore';

const COLORS = ['#1d6fb8', '#c2410c', '#2a9d4b', '#8b5cf6', '#d97706', '#0891b2', '#be185d'];

type Group = { title: string; metrics: (keys: string[]) => string[] };
const fixed = (...m: string[]) => () => m;
const matching = (re: RegExp) => (keys: string[]) => keys.filter((k) => re.test(k)).sort();

const GROUPS: Record<'grpo' | 'sft', Group[]> = {
  grpo: [
    { title: 'Reward (mean and group std)', metrics: fixed('reward', 'reward_std') },
    { title: 'Reward per function', metrics: matching(/^rewards\/.*\/mean$/) },
    { title: 'Groups with identical rewards (frac_reward_zero_std)', metrics: fixed('frac_reward_zero_std') },
    { title: 'IoU of the boxes (iou/mean)', metrics: fixed('iou/mean') },
    { title: 'KL to the reference', metrics: fixed('kl') },
    { title: 'Entropy', metrics: fixed('entropy') },
    { title: 'Clip ratio', metrics: fixed('clip_ratio/region_mean') },
    { title: 'Completion length (tokens)', metrics: fixed('completions/mean_length', 'completions/max_length') },
    { title: 'Completions cut at the maximum length', metrics: fixed('completions/clipped_ratio') },
    { title: 'Held-out metrics (eval split)', metrics: matching(/^eval\//) },
    { title: 'Learning rate', metrics: fixed('learning_rate') },
    { title: 'Gradient norm', metrics: fixed('grad_norm') },
    { title: 'Time per step (s): rollout, reward, update', metrics: fixed('step_time', 'time/rollout', 'time/reward', 'time/update') },
  ],
  sft: [
    { title: 'Loss', metrics: fixed('loss') },
    { title: 'Held-out metrics (eval split)', metrics: matching(/^eval\//) },
    { title: 'Learning rate', metrics: fixed('learning_rate') },
    { title: 'Gradient norm', metrics: fixed('grad_norm') },
    { title: 'Time per step (s)', metrics: fixed('step_time') },
  ],
};

/** Rows of several metrics × runs for one chart, keyed `metric · run`. */
function groupRows(runs: { key: string; history: HistoryRow[] }[], metrics: string[], smoothing: number): Record<string, number>[] {
  const byStep = new Map<number, Record<string, number>>();
  for (const m of metrics) {
    for (const row of chartRows(runs, m, m.startsWith('eval/') ? 0 : smoothing)) {
      const out = byStep.get(row.step) ?? { step: row.step };
      for (const [k, v] of Object.entries(row)) if (k !== 'step') out[`${m} · ${k}`] = v;
      byStep.set(row.step, out);
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

function Chart({ title, runs, metrics, smoothing }: { title: string; runs: { key: string; history: HistoryRow[]; dashed: boolean }[]; metrics: string[]; smoothing: number }) {
  const rows = groupRows(runs, metrics, smoothing);
  if (!rows.length) return null;
  const series = metrics.flatMap((m, mi) => runs.map((r, ri) => ({ key: `${m} · ${r.key}`, color: COLORS[(mi + ri * metrics.length) % COLORS.length], dashed: r.dashed, eval: m.startsWith('eval/') })));
  return (
    <figure className="chart" aria-label={`Chart: ${title}`}>
      <figcaption>{title} <span className="muted">(click a point to inspect that step's rollouts)</span></figcaption>
      <div style={{ width: '100%', height: 180 }}>
        <ResponsiveContainer>
          <LineChart data={rows} margin={{ top: 4, right: 12, bottom: 4, left: 0 }} onClick={(state) => state?.activeLabel !== undefined && setInspector({ selected: Number(state.activeLabel) })}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
            <YAxis width={56} tickFormatter={(v: number) => (Math.abs(v) >= 100 || v === 0 ? String(Math.round(v)) : v.toPrecision(2))} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
            <Legend />
            {series.map((s) => (
              <Line key={s.key} type="linear" dataKey={s.key} stroke={s.color} strokeDasharray={s.dashed ? '5 3' : undefined} dot={s.eval} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** The run's charts: every logged metric by group, smoothed, with finished runs overlaid and warnings on top. */
export function TrainCharts() {
  const { history, run, chart } = useTrainStore();
  const list = useCheckpointsStore((s) => s.list);
  const stored = list.filter((c) => c.provenance?.history.length);
  if (!run) return null;
  const overlays = stored.filter((c) => chart.overlays.includes(c.id));
  const runs = [{ key: 'this run', history, dashed: false }, ...overlays.map((c) => ({ key: c.name, history: c.provenance!.history, dashed: true }))];
  const keys = [...new Set([...history, ...overlays.flatMap((c) => c.provenance!.history)].flatMap((h) => Object.keys(h)))];
  const warnings = runWarnings(history, run.method);
  return (
    <div className="charts">
      {warnings.length > 0 && (
        <ul className="warnings" aria-label="Run warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="row">
        <label className="field">
          Smoothing {chart.smoothing.toFixed(2)}
          <input type="range" min={0} max={0.99} step={0.01} value={chart.smoothing} onChange={(e) => setChartOptions({ smoothing: e.target.valueAsNumber })} />
        </label>
        {stored.length > 0 && (
          <fieldset className="overlays">
            <legend>Overlay finished runs</legend>
            {stored.map((c) => (
              <label key={c.id}>
                <input type="checkbox" checked={chart.overlays.includes(c.id)} onChange={(e) => setChartOptions({ overlays: e.target.checked ? [...chart.overlays, c.id] : chart.overlays.filter((x) => x !== c.id) })} /> {c.name}
              </label>
            ))}
          </fieldset>
        )}
      </div>
      <div className="chart-grid">
        {GROUPS[run.method].map((g) => (
          <Chart key={g.title} title={g.title} runs={runs} metrics={g.metrics(keys)} smoothing={chart.smoothing} />
        ))}
      </div>
    </div>
  );
}
