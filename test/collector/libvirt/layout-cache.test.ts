import { describe, expect, it } from 'vitest';
import { LayoutCache } from '../../../src/collector/libvirt/layout-cache';
import { TypedParamLayout } from '../../../src/collector/libvirt/typed-params';

const layout = (fields: number, tag = '') =>
  new TypedParamLayout(Array.from({ length: fields }, (_, i) => `block.${i}.rd.bytes${tag}`));

describe('LayoutCache', () => {
  it("keeps each domain's latest layout and charges only for that one", () => {
    const cache = new LayoutCache();
    const first = layout(10);
    cache.set('a', first);
    const held = cache.retainedBytes;
    const second = layout(10, '.2');
    cache.set('a', second);
    expect(cache.get('a')).toBe(second);
    expect(cache.retainedBytes).toBe(held - first.retainedBytes + second.retainedBytes);
  });

  it('makes room by dropping the layouts stored longest ago', () => {
    const each = layout(100).retainedBytes;
    const cache = new LayoutCache(10 * (each + 200), 1 << 20);
    for (let d = 0; d < 25; d++) cache.set(`dom-${d}`, layout(100));
    expect(cache.retainedBytes).toBeLessThanOrEqual(10 * (each + 200));
    expect(cache.get('dom-24')).toBeDefined();
    expect(cache.get('dom-15')).toBeDefined();
    expect(cache.get('dom-14')).toBeUndefined();
    expect(cache.get('dom-0')).toBeUndefined();
  });

  it('does not keep a layout larger than its limit, nor the one it replaces', () => {
    const cache = new LayoutCache(1 << 20, 64 * 1024);
    cache.set('a', layout(10));
    const huge = layout(5000);
    expect(huge.retainedBytes).toBeGreaterThan(64 * 1024);
    cache.set('a', huge);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.retainedBytes).toBe(0);
  });
});
