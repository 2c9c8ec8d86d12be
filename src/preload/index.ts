import { contextBridge, ipcRenderer } from 'electron';
import { REQUEST_CHANNEL } from '../shared/contract/channels';
import type { SetmovBridge } from './api';

// Passes name and params through untouched: main validates them, since a compromised
// renderer could call ipcRenderer directly anyway.
const bridge: SetmovBridge = {
  request: (name, params) => ipcRenderer.invoke(REQUEST_CHANNEL, name, params),
};

contextBridge.exposeInMainWorld('setmov', bridge);
