/**
 * Interfaces that are not physical NICs, by name: loopback, bridges (virbr, br-,
 * docker0, lxcbr, cni, ovs), the VMs' and containers' ends (vnet, tap, tun, veth,
 * macvtap), tunnels and overlays (gre, sit, ip6tnl, tunl, vxlan, geneve, wg,
 * flannel, cali), and stacked devices over NICs that are counted anyway (bond,
 * team, VLANs "eth0.100", aliases "eth0:1"), plus ifb and dummy. Everything else (eth*, en*, wl*,
 * ib*, em*, p1p1, ...) is taken for physical.
 */
const virtualName =
  /^(?:lo|virbr.*|br.*|docker.*|lxcbr.*|lxc.*|cni.*|ovs-.*|vnet.*|tap.*|tun.*|veth.*|macvtap.*|gre.*|gretap.*|erspan.*|sit.*|ip6tnl.*|ip6gre.*|ip_vti.*|ip6_vti.*|tunl.*|vxlan.*|genev.*|wg.*|flannel.*|cali.*|kube-.*|bond.*|team.*|ifb.*|dummy.*|nlmon.*|vrf.*|.*[.:].*)$/;

/** Whether a name looks like a physical NIC (see above); a guess where sysfs is not readable. */
export function looksPhysical(name: string): boolean {
  return !virtualName.test(name);
}

/**
 * How to tell physical interfaces: by name, unless the source knows better (the
 * local source lists those with a /sys/class/net/<name>/device link, which only
 * hardware and paravirtual NICs have).
 */
export type PhysicalInterfaceTest = (name: string) => boolean;
