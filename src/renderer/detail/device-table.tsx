import { formatByteRate } from '../format';
import { useI18n } from '../i18n/i18n';

export interface DeviceRow {
  kind: 'disk' | 'net';
  name: string;
  /** read or received, bytes/s */
  inBytesPerSec: number | null;
  /** written or sent, bytes/s */
  outBytesPerSec: number | null;
}

/** Each disk's read / write and each interface's rx / tx, from the latest sample. */
export function DeviceTable({ rows }: { rows: DeviceRow[] | null }) {
  const { t, locale } = useI18n();
  if (!rows) return null;
  return (
    <table className="data-table devices-table" aria-label={t('detail.devices')}>
      <thead>
        <tr>
          <th scope="col">{t('detail.device')}</th>
          <th scope="col" className="num">
            {t('col.disk')} · {t('col.net')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.kind}-${row.name}`} data-device={row.name}>
            <td>{row.name}</td>
            <td className="num">
              {formatByteRate(locale, row.inBytesPerSec)} /{' '}
              {formatByteRate(locale, row.outBytesPerSec)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The device rows of a sample's disks and interfaces. */
export function deviceRows(
  disks: readonly {
    device: string;
    readBytesPerSec: number | null;
    writeBytesPerSec: number | null;
  }[],
  nics: readonly {
    interface: string;
    rxBytesPerSec: number | null;
    txBytesPerSec: number | null;
  }[],
): DeviceRow[] {
  return [
    ...disks.map((d) => ({
      kind: 'disk' as const,
      name: d.device,
      inBytesPerSec: d.readBytesPerSec,
      outBytesPerSec: d.writeBytesPerSec,
    })),
    ...nics.map((n) => ({
      kind: 'net' as const,
      name: n.interface,
      inBytesPerSec: n.rxBytesPerSec,
      outBytesPerSec: n.txBytesPerSec,
    })),
  ];
}
