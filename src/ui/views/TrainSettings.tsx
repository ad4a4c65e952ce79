import { type TrainForm, applyPreset, setOverride, setRewards, setTrainForm, useTrainStore } from '../../state/trainStore';
import { GRPO_SETTINGS, PRESETS, REFERENCE_REWARD_SET, REWARD_HELP, type RewardName, SFT_SETTINGS, type Setting, TASK_REWARDS, defaultOf } from '../../state/trainSettings';

function SettingField<K extends string>({ s, method }: { s: Setting<K>; method: 'grpo' | 'sft' }) {
  const overrides = useTrainStore((st) => st.form[method]) as Record<string, unknown>;
  const def = defaultOf(method, s.key);
  const value = (overrides[s.key] ?? def) as number | string;
  const id = `setting-${method}-${s.key}`;
  return (
    <div className="setting">
      <label htmlFor={id}>{s.label}</label>
      {s.spec.kind === 'choice' ? (
        <select id={id} value={String(value)} onChange={(e) => setOverride(method, s.key, e.target.value)}>
          {s.spec.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} type="number" value={value} min={s.spec.min} step={s.spec.kind === 'number' ? s.spec.step : 1} onChange={(e) => Number.isFinite(e.target.valueAsNumber) && setOverride(method, s.key, e.target.valueAsNumber)} />
      )}
      <small className="muted">
        {s.help}; default {String(def)}
      </small>
    </div>
  );
}

/** Presets, the reward functions with weights and mode, and every other setting with its default. */
export function TrainSettings({ task }: { task: TrainForm['task'] }) {
  const method = useTrainStore((s) => s.form.method);
  const rewards = useTrainStore((s) => s.form.rewards);
  const mode = useTrainStore((s) => s.form.rewardMode);
  const available = TASK_REWARDS[task];
  const chosen = rewards?.functions.filter((f) => available.includes(f)) ?? [];
  const active: RewardName[] = chosen.length ? chosen : [...REFERENCE_REWARD_SET[task]];
  const weights = rewards?.weights ?? {};
  return (
    <>
      <div className="row" role="group" aria-label="Presets">
        <span className="muted">Presets:</span>
        {PRESETS.map((p) => (
          <button key={p.id} type="button" title={p.help} onClick={() => applyPreset(p.id)}>
            {p.label}
          </button>
        ))}
      </div>
      {method === 'grpo' && (
        <fieldset className="rewards">
          <legend>Reward functions ({task})</legend>
          {available.map((f) => (
            <div key={f} className="setting">
              <label>
                <input
                  type="checkbox"
                  checked={active.includes(f)}
                  onChange={(e) => setRewards(e.target.checked ? [...active, f] : active.filter((x) => x !== f), weights)}
                />{' '}
                {f}
              </label>
              <input type="number" aria-label={`Weight of ${f}`} step={0.1} min={0} value={weights[f] ?? 1} onChange={(e) => Number.isFinite(e.target.valueAsNumber) && setRewards([...active], { ...weights, [f]: e.target.valueAsNumber })} />
              <small className="muted">{REWARD_HELP[f]}</small>
            </div>
          ))}
          <label className="field">
            Reward mode
            <select value={mode} onChange={(e) => setTrainForm({ rewardMode: e.target.value as TrainForm['rewardMode'] })}>
              <option value="reference">reference (the released code, quirks included)</option>
              <option value="strict">strict (holes closed: invalid boxes, empty answers)</option>
            </select>
          </label>
        </fieldset>
      )}
      <details className="all-settings">
        <summary>All {method === 'grpo' ? 'GRPO' : 'SFT'} settings</summary>
        <div className="settings-grid">
          {method === 'grpo' ? GRPO_SETTINGS.map((s) => <SettingField key={s.key} s={s} method="grpo" />) : SFT_SETTINGS.map((s) => <SettingField key={s.key} s={s} method="sft" />)}
        </div>
      </details>
    </>
  );
}
