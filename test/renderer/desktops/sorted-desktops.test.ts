import { describe, expect, it } from 'vitest';
import { desktopColumns, sortedDesktops } from '../../../src/renderer/desktops/desktop-columns';
import type { Translate } from '../../../src/renderer/i18n/i18n';
import { desktop } from './desktop-factory';

const columns = desktopColumns({ t: ((key: string) => key) as Translate, locale: 'en' });
const cpu = (n: number, cpuHostPercent: number | null) => {
  const vm = desktop(n);
  return { ...vm, figures: vm.figures && { ...vm.figures, cpuHostPercent } };
};
const names = (list: readonly { name: string }[]) => list.map((vm) => vm.name);

describe('sortedDesktops', () => {
  it('sorts names as people read them, and keeps the order given without a sort', () => {
    const list = [10, 2, 1].map((n) => desktop(n));
    expect(names(sortedDesktops(list, [{ id: 'name', desc: false }], columns))).toEqual([
      'desk-01',
      'desk-02',
      'desk-10',
    ]);
    const renamed = [
      { ...desktop(1), name: 'vm-10' },
      { ...desktop(2), name: 'vm-2' },
    ];
    expect(names(sortedDesktops(renamed, [{ id: 'name', desc: false }], columns))).toEqual([
      'vm-2',
      'vm-10',
    ]);
    expect(sortedDesktops(list, [], columns)).toBe(list);
  });

  it('puts what was not measured last in either direction, and ties in the order given', () => {
    const list = [cpu(1, 5), cpu(2, null), cpu(3, 50), cpu(4, 5)];
    expect(names(sortedDesktops(list, [{ id: 'cpuHost', desc: true }], columns))).toEqual([
      'desk-03',
      'desk-01',
      'desk-04',
      'desk-02',
    ]);
    expect(names(sortedDesktops(list, [{ id: 'cpuHost', desc: false }], columns))).toEqual([
      'desk-01',
      'desk-04',
      'desk-03',
      'desk-02',
    ]);
  });

  it('breaks ties by the next sort, and ignores a column it does not know', () => {
    const list = [cpu(1, 5), cpu(2, 5), cpu(3, 9)].map(
      (vm, i) => ({ ...vm, state: i === 1 ? 'paused' : 'running' }) as typeof vm,
    );
    const order = sortedDesktops(
      list,
      [
        { id: 'nothing', desc: false },
        { id: 'cpuHost', desc: false },
        { id: 'state', desc: false },
      ],
      columns,
    );
    expect(names(order)).toEqual(['desk-02', 'desk-01', 'desk-03']);
  });
});
