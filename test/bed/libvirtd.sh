#!/usr/bin/env bash
# Starts, stops or restarts the bed's virtlogd + libvirtd (pid files under
# test/bed/state/), so fault tests can take libvirtd away and bring it back.
# Running domains survive a libvirtd stop: their QEMU processes keep going.
#   libvirtd.sh start|stop|restart|status
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LIBVIRTD_PID="$BED_STATE/libvirtd.pid"
VIRTLOGD_PID="$BED_STATE/virtlogd.pid"

# The pid file a running daemon was started with (its -p argument), if any.
started_with_pidfile() {
  tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | awk 'take { print; exit } $0 == "-p" { take = 1 }'
}

# A daemon someone else started is adopted (its pid recorded) but left running by stop.
# A libvirtd that another checkout's bed started is replaced instead: the QEMU processes it
# spawns inherit its environment, whose log file lies in that checkout's test/bed/state/,
# and QEMU refuses to start once that checkout is gone. Its running domains survive.
start_daemon() {
  local name=$1 pidfile=$2 running other
  if pid_alive "$pidfile" "$name"; then running=$(<"$pidfile"); else running=$(pgrep -o -x "$name" || true); fi
  if [[ -n $running ]]; then
    other=$(started_with_pidfile "$running")
    if [[ $other == "$pidfile" ]]; then return 0; fi
    if [[ $name == libvirtd && $other == */test/bed/state/$name.pid ]]; then
      step "$name (pid $running) belongs to another checkout's bed ($other): replacing it"
      echo "$running" >"$pidfile"
      kill_pidfile "$pidfile" "$name"
    else
      [[ -e $pidfile.adopted ]] || step "$name already running (pid $running), adopting it"
      echo "$running" >"$pidfile"
      touch "$pidfile.adopted"
      return 0
    fi
  fi
  rm -f "$pidfile.adopted"
  step "starting $name"
  LIBVIRT_LOG_OUTPUTS="3:file:$BED_STATE/$name.log" \
    setsid "/usr/sbin/$name" -d -p "$pidfile" </dev/null >/dev/null 2>&1
  local i
  for ((i = 0; i < 100; i++)); do
    pid_alive "$pidfile" "$name" && return 0
    sleep 0.1
  done
  die "$name did not start"
}

stop_daemon() {
  local name=$1 pidfile=$2
  if [[ -e $pidfile.adopted && ${BED_FORCE_STOP:-0} != 1 ]]; then
    step "$name was not started by the bed, leaving it running"
    rm -f "$pidfile" "$pidfile.adopted"
    return 0
  fi
  step "stopping $name"
  kill_pidfile "$pidfile" "$name"
  rm -f "$pidfile.adopted"
}

wait_ready() {
  local i
  for ((i = 0; i < 200; i++)); do
    virsh -q -c "$BED_URI" version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "libvirtd does not answer on $BED_URI"
}

# Without udev /dev/kvm stays root-only. QEMU's capability probe still finds KVM,
# libvirtd then sees that its qemu user cannot open /dev/kvm, declares its
# capability cache stale and re-probes QEMU on every define or start: a minute
# each on a busy machine. Giving /dev/kvm the mode udev gives it keeps the cache.
# (The bed's domains are type='qemu', TCG, whatever /dev/kvm allows.)
fix_kvm_mode() {
  [[ -c /dev/kvm ]] || return 0
  getent group kvm >/dev/null || return 0
  if [[ $(stat -c '%G %a' /dev/kvm) != 'kvm 660' ]]; then
    step "/dev/kvm: root:kvm 0660, as udev would set it"
    chgrp kvm /dev/kvm
    chmod 660 /dev/kvm
  fi
}

start() {
  mkdir -p "$BED_STATE" /var/log/libvirt /run/libvirt
  fix_kvm_mode
  start_daemon virtlogd "$VIRTLOGD_PID"
  start_daemon libvirtd "$LIBVIRTD_PID"
  wait_ready
}

case "${1:-}" in
  start) start ;;
  stop)
    # A fault test stops only libvirtd; virtlogd goes with `down`.
    BED_FORCE_STOP=1 stop_daemon libvirtd "$LIBVIRTD_PID"
    ;;
  stop-all)
    stop_daemon libvirtd "$LIBVIRTD_PID"
    stop_daemon virtlogd "$VIRTLOGD_PID"
    ;;
  restart)
    BED_FORCE_STOP=1 stop_daemon libvirtd "$LIBVIRTD_PID"
    start
    ;;
  status)
    if pid_alive "$LIBVIRTD_PID" libvirtd; then
      echo "libvirtd running (pid $(<"$LIBVIRTD_PID"))"
    else
      echo "libvirtd stopped"
      exit 3
    fi
    ;;
  *)
    echo "usage: $0 start|stop|restart|status|stop-all" >&2
    exit 2
    ;;
esac
