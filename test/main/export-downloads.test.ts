import { EventEmitter } from 'node:events';
import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { handleExportDownloads } from '../../src/main/export-downloads';

/** A DownloadItem reduced to what the handler reads and sets. */
function download(url: string, filename: string) {
  const item = Object.assign(new EventEmitter(), {
    getURL: () => url,
    getFilename: () => filename,
    getSavePath: () => `/home/admin/Downloads/${filename}`,
    dialog: null as unknown,
    setSaveDialogOptions(options: unknown) {
      this.dialog = options;
    },
  });
  return item;
}

function setUp() {
  const session = new EventEmitter();
  const lines: string[] = [];
  handleExportDownloads(session as unknown as Session, {
    downloadsDir: '/home/admin/Downloads',
    log: (line) => lines.push(line),
  });
  const start = (item: ReturnType<typeof download>): boolean => {
    let prevented = false;
    session.emit('will-download', { preventDefault: () => (prevented = true) }, item);
    return prevented;
  };
  return { start, lines };
}

describe('handleExportDownloads', () => {
  it("asks where to save a page's export, in the downloads folder with its type", () => {
    const { start, lines } = setUp();
    const item = download('blob:null/6f1c', 'bed-cpu-2026-12-02.csv');
    expect(start(item)).toBe(false);
    expect(item.dialog).toEqual({
      title: 'bed-cpu-2026-12-02.csv',
      defaultPath: '/home/admin/Downloads/bed-cpu-2026-12-02.csv',
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    item.emit('done', {}, 'completed');
    expect(lines).toEqual(['export saved: /home/admin/Downloads/bed-cpu-2026-12-02.csv']);
  });

  it('says when the admin cancelled the dialog', () => {
    const { start, lines } = setUp();
    const item = download('blob:null/1', 'h0.json');
    start(item);
    expect((item.dialog as { filters: unknown }).filters).toEqual([
      { name: 'JSON', extensions: ['json'] },
    ]);
    item.emit('done', {}, 'cancelled');
    expect(lines).toEqual(['export cancelled: h0.json']);
  });

  it('refuses any download that is not a blob the page made', () => {
    const { start, lines } = setUp();
    expect(start(download('https://example.com/payload.exe', 'payload.exe'))).toBe(true);
    expect(start(download('file:///etc/shadow', 'shadow'))).toBe(true);
    expect(lines).toEqual([
      'download refused (not an export): https:',
      'download refused (not an export): file:',
    ]);
  });
});
