import { describe, expect, it } from 'vitest';
import { socketCandidates } from '../../../src/collector/libvirt/dialers';

describe('socketCandidates', () => {
  it('tries libvirtd, then the split daemon of the driver; -ro for read-only', () => {
    expect(socketCandidates('qemu', false, '/r')).toEqual(['/r/libvirt-sock', '/r/virtqemud-sock']);
    expect(socketCandidates('qemu', true, '/r')).toEqual([
      '/r/libvirt-sock-ro',
      '/r/virtqemud-sock-ro',
    ]);
    expect(socketCandidates('test', false, '/r')).toEqual(['/r/libvirt-sock']);
  });
});
