import { type Notice, dismissNotice, useDatasetsStore } from '../../state/datasetStore';

/**
 * Messages of imports, uploads and saves: text only (file names and labels are never HTML). `where` shows the
 * messages of one panel inside it, next to the control that caused them; without it, the page's other messages.
 */
export function Notices({ where }: { where?: Notice['where'] }) {
  const all = useDatasetsStore((s) => s.notices);
  const notices = all.filter((n) => n.where === where);
  if (!notices.length) return null;
  return (
    <div className="notices" aria-label={where ? `Messages about ${where === 'import' ? 'the import' : 'generation'}` : 'Messages'}>
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span className="pre">{n.text}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => dismissNotice(n.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
