/** A VM's devices as its domain XML describes them: what the inventory shows. */

export interface VmDisk {
  device: string /* disk|cdrom|floppy|lun */;
  target: string /* vda */;
  bus: string | null;
  /** Image file, block device, network volume name or directory. */
  source: string | null;
  /** <driver type=..>: qcow2, raw, ... */
  format: string | null;
}

export interface VmNic {
  type: string;
  mac: string | null;
  target: string | null /* vnet3 */;
  model: string | null;
  /** Bridge, network, direct device or ... the host side it is attached to. */
  source: string | null;
}

export interface VmGraphics {
  type: string /* vnc|spice */;
  /** null while not running with autoport (libvirt writes -1) or when absent. */
  port: number | null;
  listen: string | null;
  autoport: boolean;
}

export interface VmBalloon {
  model: string;
  statsPeriodSec: number | null;
}
