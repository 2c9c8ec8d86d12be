import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { pickClient } from './contract-client/pick-client';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const { client, kind } = pickClient(window);
createRoot(root).render(
  <StrictMode>
    <App client={client} kind={kind} />
  </StrictMode>,
);
