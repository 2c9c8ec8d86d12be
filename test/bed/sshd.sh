#!/usr/bin/env bash
# The bed's sshd on 127.0.0.1:2222 (keys under test/bed/state/ssh/). Fault tests
# stop it and start it again; it comes back with the same host key.
#   sshd.sh start|stop|restart|status
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SSHD_PORT=2222
SSHD_PID="$BED_SSH/sshd.pid"
TEST_USER=setmovtest
TEST_PASSWORD=setmov-test-pw

ensure_keys() {
  mkdir -p "$BED_SSH" /root/.ssh /run/sshd
  chmod 700 "$BED_SSH" /root/.ssh
  [[ -s $BED_SSH/hostkey ]] || ssh-keygen -q -t ed25519 -N '' -C setmov-bed-host -f "$BED_SSH/hostkey"
  [[ -s $BED_SSH/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C setmov-bed-client -f "$BED_SSH/id_ed25519"
  local pub
  pub=$(<"$BED_SSH/id_ed25519.pub")
  touch /root/.ssh/authorized_keys
  chmod 600 /root/.ssh/authorized_keys
  grep -qxF "$pub" /root/.ssh/authorized_keys || echo "$pub" >>/root/.ssh/authorized_keys
  local host_pub
  host_pub=$(cut -d' ' -f1,2 "$BED_SSH/hostkey.pub")
  echo "[127.0.0.1]:$SSHD_PORT $host_pub" >"$BED_SSH/known_hosts.tmp"
  mv "$BED_SSH/known_hosts.tmp" "$BED_SSH/known_hosts"
}

ensure_user() {
  id "$TEST_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$TEST_USER"
  echo "$TEST_USER:$TEST_PASSWORD" | chpasswd
}

# A listener on the port that is not this bed's sshd (another checkout's bed, left
# running) would answer with another host key: stop it rather than test against it.
free_port() {
  local pids pid comm i
  pids=$(ss -Hltnp "sport = :$SSHD_PORT" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true)
  [[ -n $pids ]] || return 0
  for pid in $pids; do
    comm=$(cat "/proc/$pid/comm" 2>/dev/null || echo '?')
    [[ $comm == sshd ]] || die "127.0.0.1:$SSHD_PORT is taken by $comm (pid $pid), not an sshd of the bed"
    step "127.0.0.1:$SSHD_PORT is held by another sshd (pid $pid, another checkout's bed): stopping it"
    kill "$pid" 2>/dev/null || true
  done
  for ((i = 0; i < 100; i++)); do
    ss -Hltn "sport = :$SSHD_PORT" | grep -q . || return 0
    sleep 0.1
  done
  die "127.0.0.1:$SSHD_PORT is still taken"
}

start() {
  ensure_keys
  if pid_alive "$SSHD_PID" sshd; then return 0; fi
  free_port
  step "starting sshd on 127.0.0.1:$SSHD_PORT"
  # Password login is enabled for this sshd only, for tests of password and
  # wrong-password authentication; the system's sshd_config is not touched.
  setsid /usr/sbin/sshd -p "$SSHD_PORT" -o ListenAddress=127.0.0.1 \
    -h "$BED_SSH/hostkey" -o PidFile="$SSHD_PID" \
    -o PasswordAuthentication=yes -o KbdInteractiveAuthentication=yes \
    -o PermitRootLogin=prohibit-password -o AllowStreamLocalForwarding=yes \
    -o MaxStartups=100:30:200 -o MaxSessions=100 \
    -E "$BED_SSH/sshd.log" </dev/null >/dev/null 2>&1
  wait_port 127.0.0.1 "$SSHD_PORT" 20 || die "sshd did not listen on 127.0.0.1:$SSHD_PORT (see $BED_SSH/sshd.log)"
}

stop() {
  step "stopping sshd on 127.0.0.1:$SSHD_PORT"
  kill_pidfile "$SSHD_PID" sshd
}

case "${1:-}" in
  start)
    ensure_user
    start
    ;;
  stop) stop ;;
  restart)
    stop
    start
    ;;
  status)
    if pid_alive "$SSHD_PID" sshd; then
      echo "sshd running (pid $(<"$SSHD_PID"))"
    else
      echo "sshd stopped"
      exit 3
    fi
    ;;
  *)
    echo "usage: $0 start|stop|restart|status" >&2
    exit 2
    ;;
esac
