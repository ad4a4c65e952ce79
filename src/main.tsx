import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initBackend } from './state/backendStore';
import { loadBasePolicy } from './state/modelsStore';
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
void loadBasePolicy();
void checkRecoverable();
