import { useEffect } from 'react';
import { dismissNotice, refreshDatasets, useDatasetsStore } from '../../state/datasetStore';
import { DatasetEditor } from '../datasets/DatasetEditor';
import { DatasetHome } from '../datasets/DatasetHome';

/** Messages of imports, uploads and saves: text only (file names and labels are never HTML). */
function Notices() {
  const notices = useDatasetsStore((s) => s.notices);
  if (!notices.length) return null;
  return (
    <div className="notices" aria-label="Messages">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span className="pre">{n.text}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => dismissNotice(n.id)}>×</button>
        </div>
      ))}
    </div>
  );
}

export function DatasetsView() {
  const open = useDatasetsStore((s) => s.open);
  useEffect(() => void refreshDatasets(), []);
  return (
    <>
      <Notices />
      {open ? <DatasetEditor /> : <DatasetHome />}
    </>
  );
}
