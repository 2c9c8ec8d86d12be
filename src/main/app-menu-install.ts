import { app, Menu } from 'electron';
import type { AppVersion } from '../shared/app-version';
import { buildAppMenuTemplate } from './app-menu';

/** Sets the application menu and what its About item shows. */
export function installAppMenu(version: AppVersion): void {
  const appName = 'SETMOV Console';
  app.setAboutPanelOptions({
    applicationName: appName,
    applicationVersion: version.version,
    version: '',
    copyright: 'Monitoring and rightsizing of KVM virtual desktops',
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildAppMenuTemplate({ appName, platform: process.platform, isPackaged: app.isPackaged }),
    ),
  );
}
