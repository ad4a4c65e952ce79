import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initBackend } from './state/backendStore';
import { App } from './ui/App';
import './ui/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void initBackend();
