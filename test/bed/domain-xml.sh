#!/usr/bin/env bash
# Prints the libvirt XML of one bed domain:
#   domain-xml.sh <index 1-9> <workload idle|cpu|disk|net>
# Index k gives the domain its fixed UUID, MAC, tap name and link-local /30
# (host side 169.254.k.1, guest 169.254.k.2). up.sh replaces @DEFINITION@ with a
# hash of the rest, so a re-run can tell whether libvirt holds this very definition.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

k=$1
load=$2
[[ $k =~ ^[1-9]$ ]] || die "domain index must be 1-9, got '$k'"
case "$load" in idle | cpu | disk | net) ;; *) die "unknown workload '$load'" ;; esac

name="bed-$load"
# The idle desktop has two vCPUs, as an oversized desktop does: the analysis must
# find that one is enough.
vcpus=$(bed_vcpus "$load")
cat <<XML
<domain type='qemu'>
  <name>$name</name>
  <uuid>5e7a0b0d-0000-4000-8000-00000000000$k</uuid>
  <description>SETMOV test bed guest, workload $load, definition @DEFINITION@</description>
  <memory unit='MiB'>128</memory>
  <currentMemory unit='MiB'>128</currentMemory>
  <vcpu>$vcpus</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$BED_CACHE/vmlinuz</kernel>
    <initrd>$BED_CACHE/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet load=$load ip=169.254.$k.2/30</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='$BED_STATE/$name.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='ethernet'>
      <mac address='52:54:00:5e:70:0$k'/>
      <target dev='bedtap-$load'/>
      <source>
        <ip address='169.254.$k.1' prefix='30'/>
      </source>
      <model type='virtio'/>
    </interface>
    <serial type='file'>
      <source path='$BED_STATE/$name.serial.log'/>
      <target port='0'/>
    </serial>
    <console type='file'>
      <source path='$BED_STATE/$name.serial.log'/>
      <target type='serial' port='0'/>
    </console>
    <graphics type='vnc' listen='127.0.0.1' autoport='yes'/>
    <memballoon model='virtio'>
      <stats period='2'/>
    </memballoon>
  </devices>
  <!-- QEMU runs as root and libvirt leaves file ownership alone: a checkout under a
       directory the libvirt-qemu user cannot enter (/root, a private CI folder)
       would otherwise stop the guest from reading its kernel or writing its disk. -->
  <seclabel type='static' model='dac' relabel='no'>
    <label>+0:+0</label>
  </seclabel>
</domain>
XML
