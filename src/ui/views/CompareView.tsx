import { RewardDebugger } from './RewardDebugger';

export function CompareView() {
  return (
    <div className="stack">
      <RewardDebugger />
      <section className="card" aria-label="Model comparison">
        <h2>Side-by-side comparison</h2>
        <p className="muted">
          Comparing checkpoints and predictions files on one eval set is not built yet. Meanwhile: the Models view lists every trained model with its
          provenance, the Train view overlays finished runs' curves and shows each rollout, and `npm run score` grades predictions files of real models.
        </p>
      </section>
    </div>
  );
}
