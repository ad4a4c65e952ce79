import { CompareModels } from './CompareModels';
import { RewardDebugger } from './RewardDebugger';

export function CompareView() {
  return (
    <div className="stack">
      <CompareModels />
      <RewardDebugger />
    </div>
  );
}
