import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

/**
 * One expensive render per animation frame, page-wide. A recharts chart's update (its store re-runs every selector
 * when the data changes) costs tens of milliseconds; five charts updated by one training step in one commit made
 * one main-thread task of 100–150 ms. Each chart takes its new data through this queue instead, so each update is
 * its own small task and the page keeps answering input between them.
 */
type Job = { run: () => void; cancelled: boolean };
const queue: Job[] = [];
let scheduled = false;

function pump(): void {
  scheduled = false;
  let job = queue.shift();
  while (job?.cancelled) job = queue.shift();
  job?.run();
  if (queue.length) schedule();
}

/** The next frame, or a timer where frames do not come (a hidden tab), whichever is first. */
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    pump();
  };
  const timer = setTimeout(once, 100);
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
}

function enqueue(run: () => void): Job {
  const job = { run, cancelled: false };
  queue.push(job);
  schedule();
  return job;
}

/** A component's place in the queue (null when it waits for nothing), given up when the component unmounts. */
function useQueueSlot(): { current: Job | null } {
  const slot = useRef<Job | null>(null);
  useEffect(
    () => () => {
      if (slot.current) slot.current.cancelled = true;
      slot.current = null;
    },
    [],
  );
  return slot;
}

/**
 * Queue `update` unless the component already waits. It runs inside `flushSync`, here and now in the frame's
 * callback: left to React's scheduler, two admitted charts could still land in one task.
 */
function queueRender(slot: { current: Job | null }, update: () => void): void {
  slot.current ??= enqueue(() => {
    slot.current = null;
    flushSync(update);
  });
}

/**
 * `value` as the component should draw it: `undefined` until the queue first admits it, then the newest value at
 * each admission. Changes that arrive while the component waits its turn are coalesced into one render, and the
 * component keeps its place in the queue.
 */
export function useFrameQueued<T>(value: T): T | undefined {
  const [shown, setShown] = useState<T | undefined>(undefined);
  const latest = useRef(value);
  const slot = useQueueSlot();
  useEffect(() => {
    latest.current = value;
    queueRender(slot, () => setShown(() => latest.current));
  }, [value, slot]);
  return shown;
}

/**
 * How many of `count` stages a component may draw: 0 until `start`, then one more per admission by the queue. A
 * chart mounts in parts (its frame, then axes, lines, grid, tooltip) because recharts' first mount runs every part's
 * store updates in one cascade; the first chart of a session, with its code still cold, took 150–200 ms in one task.
 */
export function useStages(start: boolean, count: number): number {
  const [stage, setStage] = useState(0);
  const slot = useQueueSlot();
  useEffect(() => {
    if (start && stage < count) queueRender(slot, () => setStage((s) => s + 1));
  }, [start, stage, count, slot]);
  return stage;
}
