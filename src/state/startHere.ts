/**
 * A newcomer's first minute: a small world detection set (three categories the base policy never saw, four
 * training and two held-out images each), chosen as the training data with the Quick look preset, so that
 * Start training shows curves moving within a minute on WASM.
 */
import { generateDataset, worldCategories } from './datasetIO';
import { applyPreset, setTrainForm, setTrainSource } from './trainStore';

export async function startHere(): Promise<string | null> {
  const novel = worldCategories('detection').filter((c) => c.split === 'novel').slice(0, 3).map((c) => c.name);
  const id = await generateDataset(`Start here: ${novel.join(', ')}`, { task: 'detection', categories: novel, shots: 4, evalShots: 2, seed: 1 });
  if (!id) return null;
  applyPreset('quick');
  setTrainForm({ method: 'grpo' });
  await setTrainSource(id);
  return id;
}
