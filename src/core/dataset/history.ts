/**
 * Undo/redo over dataset changes: a past stack and a future stack of `Change`s (editing.ts). A new edit clears the
 * future, as in every editor. Bounded, so a long session does not grow memory without end.
 */
import type { Change } from './editing';

export interface History {
  past: Change[];
  future: Change[];
}

export const EMPTY_HISTORY: History = { past: [], future: [] };
export const HISTORY_LIMIT = 500;

export function recordChange(h: History, c: Change): History {
  const past = [...h.past, c];
  return { past: past.length > HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT) : past, future: [] };
}

/** The change to apply backwards, and the history after undoing it; null when there is nothing to undo. */
export function undo(h: History): { change: Change; history: History } | null {
  const change = h.past.at(-1);
  return change ? { change, history: { past: h.past.slice(0, -1), future: [...h.future, change] } } : null;
}

/** The change to apply forwards again, and the history after redoing it. */
export function redo(h: History): { change: Change; history: History } | null {
  const change = h.future.at(-1);
  return change ? { change, history: { past: [...h.past, change], future: h.future.slice(0, -1) } } : null;
}
