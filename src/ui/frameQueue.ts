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

/**
 * `value` as the component should draw it: `undefined` until the queue first admits it, then the newest value at
 * each admission. Changes that arrive while the component waits its turn are coalesced into one render, and the
 * component keeps its place in the queue.
 */
export function useFrameQueued<T>(value: T): T | undefined {
  const [shown, setShown] = useState<T | undefined>(undefined);
  const latest = useRef(value);
  const job = useRef<Job | null>(null);
  useEffect(() => {
    latest.current = value;
    job.current ??= enqueue(() => {
      job.current = null;
      // Rendered here and now, inside this frame's callback: left to React's scheduler, two admitted charts could
      // still land in one task.
      flushSync(() => setShown(() => latest.current));
    });
  }, [value]);
  useEffect(
    () => () => {
      if (job.current) job.current.cancelled = true;
      job.current = null;
    },
    [],
  );
  return shown;
}

/**
 * How many of `count` stages a component may draw: 0 until `start`, then one more per admission by the queue. A
 * chart mounts in parts (its frame, then axes, lines, grid, tooltip) because recharts' first mount runs every part's store
 * updates in one cascade; the first chart of a session, with its code still cold, took 150–200 ms in one task.
 */
export function useStages(start: boolean, count: number): number {
  const [stage, setStage] = useState(0);
  const job = useRef<Job | null>(null);
  useEffect(() => {
    if (!start || stage >= count || job.current) return;
    job.current = enqueue(() => {
      job.current = null;
      flushSync(() => setStage((s) => s + 1));
    });
  }, [start, stage, count]);
  useEffect(
    () => () => {
      if (job.current) job.current.cancelled = true;
      job.current = null;
    },
    [],
  );
  return stage;
}
