# Shared by the bed's scripts (sourced, not run): paths and a step logger.
# shellcheck shell=bash

BED_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BED_STATE="$BED_DIR/state"
BED_CACHE="$BED_DIR/.cache"
BED_SSH="$BED_STATE/ssh"
BED_URI='qemu:///system'

step() { printf '[bed %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() {
  printf '[bed %s] ERROR: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2
  exit 1
}

# True when the pid in file $1 is alive and its command line contains $2
# (a reused pid of some other program must not count as ours).
pid_alive() {
  local file=$1 want=$2 pid
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$want"
}

# Waits up to $3 seconds (default 20) for a TCP listener on host $1 port $2.
wait_port() {
  local host=$1 port=$2 limit=${3:-20} i
  for ((i = 0; i <= limit * 10; i++)); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Waits up to $2 seconds for a unix socket at $1.
wait_socket() {
  local path=$1 limit=${2:-20} i
  for ((i = 0; i <= limit * 10; i++)); do
    [[ -S $path ]] && return 0
    sleep 0.1
  done
  return 1
}

# Kills the process in pid file $1 (if it is still the program $2) and waits for it.
kill_pidfile() {
  local file=$1 want=$2 pid i
  if pid_alive "$file" "$want"; then
    pid=$(<"$file")
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      [[ -d /proc/$pid ]] || break
      sleep 0.1
    done
    [[ -d /proc/$pid ]] && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# vCPUs of the bed guest with this workload (the idle desktop is oversized on purpose).
bed_vcpus() { [[ $1 == idle ]] && echo 2 || echo 1; }
