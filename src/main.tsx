import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initBackend } from './state/backendStore';
import { BASE_ID, makeCurrent, refreshCheckpoints } from './state/checkpointsStore';
import { checkRecoverable } from './state/trainStore';
import { App } from './ui/App';
import './ui/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// The worker runs requests in order: the policy loads on the backend chosen first.
void initBackend();
void makeCurrent(BASE_ID);
void refreshCheckpoints();
void checkRecoverable();
