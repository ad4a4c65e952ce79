import { memo, useDeferredValue, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type HistoryRow, chartRows, runWarnings } from '../../state/chartSeries';
import { useCheckpointsStore } from '../../state/checkpointsStore';
import { setInspector } from '../../state/rolloutLog';
import { setChartOptions, useTrainStore } from '../../state/trainStore';
import { useFrameQueued, useStages } from '../frameQueue';

const COLORS = ['#1d6fb8', '#c2410c', '#2a9d4b', '#8b5cf6', '#d97706', '#0891b2', '#be185d'];

/** `key`: shown at once; the other groups render only when "More charts" is open (fewer SVGs per step). */
type Group = { title: string; metrics: (keys: string[]) => string[]; key?: boolean };
const fixed = (...m: string[]) => () => m;
const matching = (re: RegExp) => (keys: string[]) => keys.filter((k) => re.test(k)).sort();

const GROUPS: Record<'grpo' | 'sft', Group[]> = {
  grpo: [
    { key: true, title: 'Reward (mean and group std)', metrics: fixed('reward', 'reward_std') },
    { key: true, title: 'Reward per function', metrics: matching(/^rewards\/.*\/mean$/) },
    { key: true, title: 'Groups with identical rewards (frac_reward_zero_std)', metrics: fixed('frac_reward_zero_std') },
    { title: 'IoU of the boxes (iou/mean)', metrics: fixed('iou/mean') },
    { key: true, title: 'KL to the reference', metrics: fixed('kl') },
    { title: 'Entropy', metrics: fixed('entropy') },
    { title: 'Clip ratio', metrics: fixed('clip_ratio/region_mean') },
    { title: 'Completion length (tokens)', metrics: fixed('completions/mean_length', 'completions/max_length') },
    { title: 'Completions cut at the maximum length', metrics: fixed('completions/clipped_ratio') },
    { key: true, title: 'Held-out metrics (eval split)', metrics: matching(/^eval\//) },
    { title: 'Learning rate', metrics: fixed('learning_rate') },
    { title: 'Gradient norm', metrics: fixed('grad_norm') },
    { title: 'Time per step (s): rollout, reward, update', metrics: fixed('step_time', 'time/rollout', 'time/reward', 'time/update') },
  ],
  sft: [
    { key: true, title: 'Loss', metrics: fixed('loss') },
    { key: true, title: 'Held-out metrics (eval split)', metrics: matching(/^eval\//) },
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

// Module-level props: recharts compares them by identity, and a new function or object on every render makes it
// re-dispatch the axis and chart settings (and re-run every selector) even when the data did not change.
const MARGIN = { top: 4, right: 12, bottom: 4, left: 0 };
const tick = (v: number) => (Math.abs(v) >= 100 || v === 0 ? String(Math.round(v)) : v.toPrecision(2));
const tooltipValue = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));
const inspectStep = (state: { activeLabel?: string | number } | null) => {
  if (state?.activeLabel !== undefined) setInspector({ selected: Number(state.activeLabel) });
};

type ChartRun = { key: string; history: HistoryRow[]; dashed: boolean };

/** One chart; memoised on its inputs, so a new step re-renders only the charts whose metrics it carries. */
const Chart = memo(function Chart({ title, runs, metrics, smoothing }: { title: string; runs: ChartRun[]; metrics: string[]; smoothing: number }) {
  const rows = useMemo(() => groupRows(runs, metrics, smoothing), [runs, metrics, smoothing]);
  // The chart draws its rows when the page-wide frame queue admits them: mounting the grid, or updating every chart
  // for one step, in one commit is one long main-thread task (each recharts update re-runs its whole store).
  const shown = useFrameQueued(rows.length ? rows : null);
  const stage = useStages(!!shown, 4);
  if (!rows.length) return null;
  if (!shown) return <div className="chart-placeholder" aria-hidden="true" />;
  const series = metrics.flatMap((m, mi) => runs.map((r, ri) => ({ key: `${m} · ${r.key}`, color: COLORS[(mi + ri * metrics.length) % COLORS.length], dashed: r.dashed, eval: m.startsWith('eval/') })));
  return (
    <figure className="chart" aria-label={`Chart: ${title}`}>
      <figcaption>{title} <span className="muted">(click a point to inspect that step's rollouts)</span></figcaption>
      <div style={{ width: '100%', height: 180 }}>
        <ResponsiveContainer>
          <LineChart data={shown} margin={MARGIN} onClick={inspectStep}>
            {stage >= 3 && <CartesianGrid strokeDasharray="3 3" />}
            {stage >= 1 && <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />}
            {stage >= 1 && <YAxis width={56} tickFormatter={tick} />}
            {stage >= 4 && <Tooltip formatter={tooltipValue} />}
            {stage >= 2 &&
              series.map((s) => (
                <Line key={s.key} type="linear" dataKey={s.key} stroke={s.color} strokeDasharray={s.dashed ? '5 3' : undefined} dot={s.eval} connectNulls isAnimationActive={false} />
              ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {/* The legend as HTML: recharts' own legend re-measures its text on every update. */}
      <ul className="chart-legend">
        {series.map((s) => (
          <li key={s.key}>
            <span className="swatch" style={{ background: s.color }} aria-hidden="true" /> {s.key}
          </li>
        ))}
      </ul>
    </figure>
  );
});

/** The run's charts: every logged metric by group, smoothed, with finished runs overlaid and warnings on top. */
export function TrainCharts() {
  const { history: liveHistory, run, chart } = useTrainStore();
  // Charts follow the run as a deferred value: React renders them in interruptible background work, so a new step
  // never blocks the main thread for the whole chart grid at once.
  const history = useDeferredValue(liveHistory);
  const list = useCheckpointsStore((s) => s.list);
  const [more, setMore] = useState(false);
  const stored = useMemo(() => list.filter((c) => c.provenance?.history.length), [list]);
  const runs = useMemo<ChartRun[]>(
    () => [{ key: 'this run', history, dashed: false }, ...stored.filter((c) => chart.overlays.includes(c.id)).map((c) => ({ key: c.name, history: c.provenance!.history, dashed: true }))],
    [history, stored, chart.overlays],
  );
  const keyList = useMemo(() => [...new Set(runs.flatMap((r) => r.history.flatMap((h) => Object.keys(h))))].sort().join('\n'), [runs]);
  const groups = useMemo(() => (run ? GROUPS[run.method].map((g) => ({ ...g, list: g.metrics(keyList.split('\n')) })) : []), [run, keyList]);
  const keyGroups = groups.filter((g) => g.key);
  if (!run) return null;
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
        {keyGroups.map((g) => (
          <Chart key={g.title} title={g.title} runs={runs} metrics={g.list} smoothing={chart.smoothing} />
        ))}
      </div>
      <details className="more-charts" onToggle={(e) => setMore((e.target as HTMLDetailsElement).open)}>
        <summary>More charts: {groups.filter((g) => !g.key).map((g) => g.title.replace(/ \(.*\)$/, '')).join(', ')}</summary>
        {more && (
          <div className="chart-grid">
            {groups
              .filter((g) => !g.key)
              .map((g) => (
                <Chart key={g.title} title={g.title} runs={runs} metrics={g.list} smoothing={chart.smoothing} />
              ))}
          </div>
        )}
      </details>
    </div>
  );
}
