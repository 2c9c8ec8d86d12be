#!/usr/bin/env bash
# Brings the SETMOV test bed up (npm run testbed:up), as root on Debian 12:
# packages, virtlogd + libvirtd, MariaDB, a 3-node MariaDB Galera cluster on
# 127.0.0.1:4306-4308 (galera.sh), an sshd on 127.0.0.1:2222, the tiny guest, the
# domains bed-idle/bed-cpu/bed-disk/bed-net, a 50-domain test-driver fleet, and
# last test/bed/state/bed.json. Idempotent: a re-run takes seconds and leaves
# running guests running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $(id -u) == 0 ]] || die "run as root (the bed starts libvirtd, sshd and QEMU guests)"

# index:workload; the index fixes each guest's UUID, MAC and 169.254.<index>.0/30 link.
# Only bed-cpu is truly busy (one host core); disk and net are throttled.
DOMAINS=(1:idle 2:cpu 3:disk 4:net)

PACKAGES=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils busybox-static
  cpio openssh-server sysstat chromium fonts-nanum iproute2 mariadb-server
  prometheus-node-exporter prometheus-libvirt-exporter python3-libvirt galera-4 rsync)
# fonts-nanum: Chromium draws the console's Korean (screenshots, e2e) with it.
# The exporters are baselines for benchmarks only: they must not stay listening.
EXPORTER_PORTS=(9100 9177)

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    step "packages: all installed"
    return 0
  fi
  local i
  for ((i = 0; i < 600; i++)); do
    pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null || break
    ((i % 30 == 0)) && step "waiting for another apt-get/dpkg to finish"
    sleep 1
  done
  step "apt-get install ${missing[*]}"
  # Services must not start from postinst scripts (no systemd; the bed starts
  # what it needs itself): policy-rc.d exit 101 forbids it.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    made_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confold "${missing[@]}"
  ((made_policy)) && rm -f "$policy"
  return 0
}

stop_exporters() {
  local port pids
  for port in "${EXPORTER_PORTS[@]}"; do
    pids=$(ss -Hltnp "sport = :$port" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true)
    if [[ -n $pids ]]; then
      step "stopping what listens on :$port (pids $pids): exporters must not run as daemons"
      # shellcheck disable=SC2086
      kill $pids 2>/dev/null || true
      sleep 0.5
    fi
  done
}

start_mariadb() {
  if ! wait_port 127.0.0.1 3306 0; then
    step "starting MariaDB"
    mkdir -p /run/mysqld
    chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_port 127.0.0.1 3306 60 || die "MariaDB did not listen on 127.0.0.1:3306"
  fi
  # A fresh Debian install lets root in only through the unix socket; the bed's
  # clients connect over TCP as root with an empty password.
  if ! mysql --protocol=tcp -h127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
    step "allowing root over TCP with an empty password"
    mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')"
  fi
  mysql --protocol=tcp -h127.0.0.1 -uroot -e 'CREATE DATABASE IF NOT EXISTS test'
  step "MariaDB up on 127.0.0.1:3306"
}

virsh_() { virsh -q -c "$BED_URI" "$@"; }

# Defines the domain anew when its XML (or the guest image) changed, starts it
# when it is not running, and leaves a running, unchanged one alone.
ensure_domain() {
  local k=$1 load=$2 name="bed-$2" xml hash state defined
  local xml_file="$BED_STATE/$name.xml"
  [[ -s $BED_STATE/$name.qcow2 ]] || qemu-img create -q -f qcow2 "$BED_STATE/$name.qcow2" 64M
  xml=$("$BED_DIR/domain-xml.sh" "$k" "$load")
  hash=$({
    echo "$xml"
    cat "$BED_CACHE/initrd.stamp"
  } | sha256sum | cut -c1-16)
  xml=${xml/@DEFINITION@/$hash}
  state=$(virsh_ domstate "$name" 2>/dev/null || echo absent)
  # The hash lives in libvirt's own copy of the definition, so a definition made
  # from another checkout (another path) is noticed and replaced.
  defined=$(virsh_ dumpxml --inactive "$name" 2>/dev/null | grep -o 'definition [0-9a-f]*' || true)
  if [[ $defined != "definition $hash" ]]; then
    if [[ $state == running || $state == paused ]]; then
      step "$name: definition changed, restarting it"
      virsh_ destroy "$name" >/dev/null
    fi
    step "$name: defining"
    echo "$xml" >"$xml_file"
    virsh_ define "$xml_file" >/dev/null
    state=$(virsh_ domstate "$name")
  fi
  # A guest left running by a checkout whose folder was since replaced writes its
  # serial console into a deleted file: its readiness could never be seen.
  if [[ ($state == running || $state == paused) && ! -e $BED_STATE/$name.serial.log ]]; then
    step "$name: its serial log is gone, restarting it"
    virsh_ destroy "$name" >/dev/null
    state=$(virsh_ domstate "$name")
  fi
  case "$state" in
    running) step "$name: running" ;;
    paused)
      step "$name: resuming"
      virsh_ resume "$name" >/dev/null
      ;;
    *)
      # A tap left behind by a QEMU that was killed with its libvirtd would make
      # libvirt refuse to create the managed tap of the same name.
      if ip link show "bedtap-$load" >/dev/null 2>&1; then
        step "$name: removing stale tap bedtap-$load"
        ip link del "bedtap-$load"
      fi
      step "$name: starting"
      virsh_ start "$name" >/dev/null
      ;;
  esac
}

# libvirt puts the guests in one "machine" cgroup, and with cgroup v1 that group
# weighs as much as a single process in the root group: on a busy 2-core machine
# the busy guest then gets a third of a core and its load is no longer known.
# A heavier group lets the guests take what they need (about 1.3 cores) first, as
# VMs on a real host get their share next to the host's own processes.
weigh_guests() {
  local v1=/sys/fs/cgroup/cpu/machine/cpu.shares v2=/sys/fs/cgroup/machine/cpu.weight
  if [[ -w $v1 ]]; then
    [[ $(<"$v1") == 8192 ]] || { echo 8192 >"$v1" && step "guests' cgroup: cpu.shares 8192"; }
  elif [[ -w $v2 ]]; then
    [[ $(<"$v2") == 800 ]] || { echo 800 >"$v2" && step "guests' cgroup: cpu.weight 800"; }
  fi
  return 0
}

wait_guest_ready() {
  local name=$1 log="$BED_STATE/$1.serial.log" i
  for ((i = 0; i < 600; i++)); do
    grep -q '^SETMOV-READY' "$log" 2>/dev/null && return 0
    sleep 0.1
  done
  die "$name did not reach SETMOV-READY within 60 s (see $log)"
}

write_bed_json() {
  local domains_json="" entry k load name uuid
  for entry in "${DOMAINS[@]}"; do
    k=${entry%%:*}
    load=${entry#*:}
    name="bed-$load"
    uuid=$(virsh_ domuuid "$name" | tr -d '[:space:]')
    domains_json+="${domains_json:+,}{\"name\":\"$name\",\"uuid\":\"$uuid\",\"workload\":\"$load\",\"vcpus\":$(bed_vcpus "$load"),\"diskImage\":\"$BED_STATE/$name.qcow2\",\"serialLog\":\"$BED_STATE/$name.serial.log\",\"tap\":\"bedtap-$load\",\"tapHostIp\":\"169.254.$k.1\",\"guestIp\":\"169.254.$k.2\"}"
  done
  local json
  json=$(
    cat <<JSON
{
  "libvirt": {
    "uri": "$BED_URI",
    "socket": "/var/run/libvirt/libvirt-sock",
    "readOnlySocket": "/var/run/libvirt/libvirt-sock-ro",
    "testUri": "test+unix:///default",
    "libvirtdPidFile": "$BED_STATE/libvirtd.pid",
    "virtlogdPidFile": "$BED_STATE/virtlogd.pid",
    "controlScript": "$BED_DIR/libvirtd.sh",
    "fleetUri": "test+unix://$BED_STATE/fleet-50.xml",
    "fleetSize": 50
  },
  "ssh": {
    "host": "127.0.0.1",
    "port": 2222,
    "user": "root",
    "identityFile": "$BED_SSH/id_ed25519",
    "knownHostsFile": "$BED_SSH/known_hosts",
    "hostKeyFile": "$BED_SSH/hostkey",
    "sshdPidFile": "$BED_SSH/sshd.pid",
    "controlScript": "$BED_DIR/sshd.sh",
    "passwordUser": "setmovtest",
    "password": "setmov-test-pw"
  },
  "mysql": { "host": "127.0.0.1", "port": 3306, "user": "root", "password": "", "database": "test" },
  "galera": $("$BED_DIR/galera.sh" json),
  "chromium": "/usr/bin/chromium",
  "domains": [$domains_json]
}
JSON
  )
  # Validate before publishing: other engineers' tests parse this file.
  if command -v node >/dev/null; then
    printf '%s' "$json" | node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))' ||
      die "generated bed.json is not valid JSON"
  fi
  printf '%s\n' "$json" >"$BED_STATE/bed.json.tmp"
  mv "$BED_STATE/bed.json.tmp" "$BED_STATE/bed.json"
}

main() {
  local started=$SECONDS entry
  mkdir -p "$BED_STATE"
  install_packages
  stop_exporters
  # The Galera nodes come up in the background (the joiners' first state transfer
  # takes a while) while the rest of the bed is brought up; waited for at the end.
  "$BED_DIR/galera.sh" start
  step "virtlogd + libvirtd"
  "$BED_DIR/libvirtd.sh" start
  start_mariadb
  step "sshd"
  "$BED_DIR/sshd.sh" start
  step "guest kernel + initramfs"
  "$BED_DIR/build-guest.sh"
  for entry in "${DOMAINS[@]}"; do
    ensure_domain "${entry%%:*}" "${entry#*:}"
  done
  weigh_guests
  for entry in "${DOMAINS[@]}"; do
    wait_guest_ready "bed-${entry#*:}"
  done
  step "guests booted and running their workloads"
  "$BED_DIR/fleet-xml.sh" 50 >"$BED_STATE/fleet-50.xml.tmp"
  mv "$BED_STATE/fleet-50.xml.tmp" "$BED_STATE/fleet-50.xml"
  step "test-driver fleet: test+unix://$BED_STATE/fleet-50.xml"
  "$BED_DIR/galera.sh" wait 180
  write_bed_json
  step "bed up in $((SECONDS - started)) s: $BED_STATE/bed.json"
}

main "$@"
