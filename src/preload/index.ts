import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from '../shared/contract/channels';
import type { SetmovBridge } from '../shared/contract/bridge';
import { undeliveredReply } from './undelivered-reply';

const bridge: SetmovBridge = {
  // Passes name and params through untouched: main validates them, since a
  // compromised renderer could call ipcRenderer directly anyway.
  request: async (name, params) => {
    try {
      return await ipcRenderer.invoke(REQUEST_CHANNEL, name, params);
    } catch (error) {
      return undeliveredReply(name, error);
    }
  },
  onEvent: (listener) => {
    // The IPC event object (with its sender) is not handed to the page.
    const forward = (_event: IpcRendererEvent, name: string, payload: unknown): void =>
      listener(name, payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('setmov', bridge);
