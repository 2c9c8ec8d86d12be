import type { VmDiskUsage, VmNicUsage } from '../../shared/model/samples';
import { formatByteRate, formatPerSecond } from '../format';
import { useI18n } from '../i18n/i18n';

export interface DeviceRow {
  kind: 'disk' | 'net';
  name: string;
  /** read or received, bytes/s */
  inBytesPerSec: number | null;
  /** written or sent, bytes/s */
  outBytesPerSec: number | null;
  /** read operations or packets received, per second */
  inPerSec: number | null;
  /** write operations or packets sent, per second */
  outPerSec: number | null;
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
            {t('detail.deviceBytes')}
          </th>
          <th scope="col" className="num">
            {t('detail.deviceCounts')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const unit = row.kind === 'disk' ? 'IOPS' : 'pkt/s';
          return (
            <tr key={`${row.kind}-${row.name}`} data-device={row.name}>
              <td>
                {row.name} <span className="muted small">{t(`detail.kind.${row.kind}`)}</span>
              </td>
              <td className="num">
                {formatByteRate(locale, row.inBytesPerSec)} /{' '}
                {formatByteRate(locale, row.outBytesPerSec)}
              </td>
              <td className="num">
                {formatPerSecond(locale, row.inPerSec, unit)} /{' '}
                {formatPerSecond(locale, row.outPerSec, unit)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The device rows of a sample's disks and interfaces (a host's carry these and more). */
export function deviceRows(
  disks: readonly VmDiskUsage[],
  nics: readonly VmNicUsage[],
): DeviceRow[] {
  return [
    ...disks.map((d) => ({
      kind: 'disk' as const,
      name: d.device,
      inBytesPerSec: d.readBytesPerSec,
      outBytesPerSec: d.writeBytesPerSec,
      inPerSec: d.readIops,
      outPerSec: d.writeIops,
    })),
    ...nics.map((n) => ({
      kind: 'net' as const,
      name: n.interface,
      inBytesPerSec: n.rxBytesPerSec,
      outBytesPerSec: n.txBytesPerSec,
      inPerSec: n.rxPacketsPerSec,
      outPerSec: n.txPacketsPerSec,
    })),
  ];
}
