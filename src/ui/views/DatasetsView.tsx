import { useEffect } from 'react';
import { refreshDatasets, useDatasetsStore } from '../../state/datasetStore';
import { Notices } from '../datasets/Notices';
import { DatasetEditor } from '../datasets/DatasetEditor';
import { DatasetHome } from '../datasets/DatasetHome';

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
