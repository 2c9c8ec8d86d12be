#!/usr/bin/env bash
# Prints a libvirt test-driver node file with N running domains (default 50),
# fleet-01 .. fleet-N, for `test+unix:///<abs path>`: a large fleet for the
# libvirt client and fleet benchmarks without booting 50 guests.
#   fleet-xml.sh [N]
set -euo pipefail

n=${1:-50}
[[ $n =~ ^[0-9]+$ && $n -ge 1 && $n -le 999 ]] || {
  echo "fleet-xml.sh: N must be 1-999, got '$n'" >&2
  exit 2
}

echo "<node>"
cat <<'XML'
  <cpu>
    <mhz>2400</mhz>
    <model>x86_64</model>
    <active>2</active>
    <nodes>1</nodes>
    <sockets>1</sockets>
    <cores>2</cores>
    <threads>1</threads>
  </cpu>
  <memory>25165824</memory>
XML
for ((i = 1; i <= n; i++)); do
  id=$(printf '%02d' "$i")
  # Sizes vary so that inventories and rightsizing see a mix.
  vcpus=$((1 + i % 4))
  mem_kib=$(((1 + i % 8) * 524288))
  printf -v uuid '5e7a0f1e-0000-4000-8000-%012d' "$i"
  printf -v mac '52:54:00:5e:%02x:%02x' $((i / 256)) $((i % 256))
  cat <<XML
  <domain type='test'>
    <name>fleet-$id</name>
    <uuid>$uuid</uuid>
    <memory unit='KiB'>$mem_kib</memory>
    <currentMemory unit='KiB'>$mem_kib</currentMemory>
    <vcpu>$vcpus</vcpu>
    <os>
      <type arch='x86_64'>hvm</type>
    </os>
    <devices>
      <disk type='file' device='disk'>
        <source file='/var/lib/libvirt/images/fleet-$id.qcow2'/>
        <target dev='vda' bus='virtio'/>
      </disk>
      <interface type='ethernet'>
        <mac address='$mac'/>
        <target dev='fleettap$id'/>
        <model type='virtio'/>
      </interface>
      <graphics type='vnc' port='$((5900 + i))' listen='127.0.0.1'/>
    </devices>
  </domain>
XML
done
echo "</node>"
