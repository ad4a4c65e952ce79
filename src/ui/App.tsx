import { useEffect, useState } from 'react';
import { Header } from './Header';
import { CompareView } from './views/CompareView';
import { DatasetsView } from './views/DatasetsView';
import { ModelsView } from './views/ModelsView';
import { TrainView } from './views/TrainView';

const VIEWS = [
  { id: 'datasets', label: 'Datasets', View: DatasetsView },
  { id: 'train', label: 'Train', View: TrainView },
  { id: 'compare', label: 'Compare', View: CompareView },
  { id: 'models', label: 'Models', View: ModelsView },
] as const;

type ViewId = (typeof VIEWS)[number]['id'];

function viewFromHash(): ViewId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return (VIEWS.find((v) => v.id === id)?.id ?? 'datasets') as ViewId;
}

function navigate(id: ViewId): void {
  window.location.hash = `/${id}`;
}

/** The workbench: a header with the backend, tabs for the four views, and the active view. */
export function App() {
  const [view, setView] = useState<ViewId>(viewFromHash);
  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const select = (id: ViewId) => {
    navigate(id);
    setView(id);
  };
  const onKeyDown = (e: React.KeyboardEvent, index: number) => {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    const next = VIEWS[(index + delta + VIEWS.length) % VIEWS.length];
    select(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  const Active = VIEWS.find((v) => v.id === view)!.View;
  return (
    <div className="app">
      <Header />
      <nav className="tabs" role="tablist" aria-label="Workbench views">
        {VIEWS.map((v, i) => (
          <button
            key={v.id}
            id={`tab-${v.id}`}
            role="tab"
            aria-selected={view === v.id}
            aria-controls={`panel-${v.id}`}
            tabIndex={view === v.id ? 0 : -1}
            className="tab"
            onClick={() => select(v.id)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {v.label}
          </button>
        ))}
      </nav>
      <main id={`panel-${view}`} role="tabpanel" aria-labelledby={`tab-${view}`} className="panel">
        <Active />
      </main>
    </div>
  );
}
