#!/usr/bin/env bash
# Takes the SETMOV test bed down (npm run testbed:down): destroys and undefines
# the bed's domains, stops the Galera nodes, the sshd, libvirtd and virtlogd that
# up.sh started (by pid file) and removes bed.json. MariaDB, the Galera data
# directories, the cached guest image and the disk images stay, so the next `up` is
# quick.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $(id -u) == 0 ]] || die "run as root"

# bed.json goes first: tests must not start against a bed that is going away.
rm -f "$BED_STATE/bed.json" "$BED_STATE/bed.json.tmp"

if virsh -q -c "$BED_URI" version >/dev/null 2>&1; then
  for name in bed-idle bed-cpu bed-disk bed-net; do
    state=$(virsh -q -c "$BED_URI" domstate "$name" 2>/dev/null || echo absent)
    [[ $state == absent ]] && continue
    if [[ $state != "shut off" ]]; then
      step "$name: destroying"
      virsh -q -c "$BED_URI" destroy "$name" >/dev/null
    fi
    step "$name: undefining"
    virsh -q -c "$BED_URI" undefine "$name" >/dev/null
    rm -f "$BED_STATE/$name.xml"
  done
else
  step "libvirtd does not answer: no domains to remove"
fi

"$BED_DIR/galera.sh" stop
"$BED_DIR/sshd.sh" stop
"$BED_DIR/libvirtd.sh" stop-all
step "bed down"
