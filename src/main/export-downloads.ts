import { extname, join } from 'node:path';
import type { Session } from 'electron';

export interface ExportDownloadOptions {
  /** Where the save dialog opens: the user's downloads folder. */
  downloadsDir: string;
  /** Logs what was saved, refused or cancelled (file names only, never contents). */
  log: (line: string) => void;
}

const filters: Record<string, { name: string; extensions: string[] }> = {
  '.csv': { name: 'CSV', extensions: ['csv'] },
  '.json': { name: 'JSON', extensions: ['json'] },
};

/**
 * An export in the app: the page hands its file over as a download of a blob it made,
 * and Electron asks where to save it with the system's save dialog (the options set
 * here: the suggested name in the downloads folder, its type's filter). A download of
 * anything but a page's own blob (a link to a web address, a file: URL) is refused: the
 * console has nothing else to download.
 */
export function handleExportDownloads(session: Session, options: ExportDownloadOptions): void {
  session.on('will-download', (event, item) => {
    const url = item.getURL();
    if (!url.startsWith('blob:')) {
      event.preventDefault();
      options.log(`download refused (not an export): ${url.split(':')[0] ?? ''}:`);
      return;
    }
    const name = item.getFilename();
    const filter = filters[extname(name).toLowerCase()];
    item.setSaveDialogOptions({
      title: name,
      defaultPath: join(options.downloadsDir, name),
      ...(filter ? { filters: [filter] } : {}),
    });
    item.once('done', (_done, state) => {
      options.log(
        state === 'completed' ? `export saved: ${item.getSavePath()}` : `export ${state}: ${name}`,
      );
    });
  });
}
