/**
 * The editor's keyboard shortcuts: one table drives both the key handler and the ? overlay, so the overlay can
 * never list a shortcut that does not work (or miss one that does).
 */
import { redo, undo } from '../../state/datasetStore';
import { applyClassKey, copySelected, deleteSelected, paste, repeatPrevious, requestFit, setShortcutsOpen, stepImage, toggleHide, useEditorStore } from '../../state/editorStore';

export interface Shortcut {
  keys: string;
  does: string;
  match: (e: KeyboardEvent) => boolean;
  run: (e: KeyboardEvent) => void;
}

const ctrl = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const key = (e: KeyboardEvent) => e.key.toLowerCase();

export const SHORTCUTS: Shortcut[] = [
  { keys: '1 – 9', does: 'Pick a class: for new boxes, the selected boxes, or the image (classification)', match: (e) => !ctrl(e) && /^[1-9]$/.test(e.key), run: (e) => applyClassKey(Number(e.key) - 1) },
  { keys: '← / A', does: 'Previous image', match: (e) => !ctrl(e) && (e.key === 'ArrowLeft' || key(e) === 'a'), run: () => stepImage(-1) },
  { keys: '→ / D', does: 'Next image', match: (e) => !ctrl(e) && (e.key === 'ArrowRight' || key(e) === 'd'), run: () => stepImage(1) },
  { keys: 'Del / Backspace', does: 'Delete the selected boxes', match: (e) => e.key === 'Delete' || e.key === 'Backspace', run: () => deleteSelected() },
  { keys: 'Ctrl+Z', does: 'Undo (every edit)', match: (e) => ctrl(e) && !e.shiftKey && key(e) === 'z', run: () => undo() },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', does: 'Redo', match: (e) => ctrl(e) && ((e.shiftKey && key(e) === 'z') || key(e) === 'y'), run: () => redo() },
  { keys: 'Ctrl+C', does: 'Copy the selected boxes (all boxes when none is selected)', match: (e) => ctrl(e) && key(e) === 'c', run: () => copySelected() },
  { keys: 'Ctrl+V', does: 'Paste boxes', match: (e) => ctrl(e) && key(e) === 'v' && useEditorStore.getState().clipboard !== null, run: () => paste() },
  { keys: 'R', does: "Repeat the previous image's boxes (or label)", match: (e) => !ctrl(e) && key(e) === 'r', run: () => repeatPrevious() },
  { keys: 'H', does: 'Hide or show boxes', match: (e) => !ctrl(e) && key(e) === 'h', run: () => toggleHide() },
  { keys: 'F', does: 'Fit the image to the view', match: (e) => !ctrl(e) && key(e) === 'f', run: () => requestFit() },
  { keys: 'Wheel', does: 'Zoom around the pointer', match: () => false, run: () => undefined },
  { keys: 'Space + drag', does: 'Pan', match: () => false, run: () => undefined },
  { keys: 'Drag on the image', does: 'Draw a box of the active class (stays in box mode)', match: () => false, run: () => undefined },
  { keys: 'Shift + click', does: 'Add a box to the selection', match: () => false, run: () => undefined },
  { keys: '?', does: 'Show or hide this list', match: (e) => e.key === '?', run: () => setShortcutsOpen(!useEditorStore.getState().showShortcuts) },
  { keys: 'Esc', does: 'Close this list / clear the selection', match: (e) => e.key === 'Escape', run: () => (useEditorStore.getState().showShortcuts ? setShortcutsOpen(false) : useEditorStore.setState({ selected: [] })) },
];

/** Keys typed into a text field belong to the field. */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable) && !(t instanceof HTMLInputElement && (t.type === 'radio' || t.type === 'checkbox' || t.type === 'color'));
}

export function handleShortcut(e: KeyboardEvent): boolean {
  if (isTyping(e) || e.altKey) return false;
  const s = SHORTCUTS.find((x) => x.match(e));
  if (!s) return false;
  e.preventDefault();
  s.run(e);
  return true;
}
