#!/usr/bin/env bash
# The bed's 3-node MariaDB Galera cluster on 127.0.0.1, beside the plain MariaDB on
# 3306 (which it never touches): Galera 4 (galera-4 26.4) with MariaDB 10.11, rsync
# state transfers (SST), the nodes run as the mysql user, cluster name setmov-bed.
#
#   node   SQL    group (gcomm)   IST     SST (rsync)
#   node1  4306   14567           14568   14569
#   node2  4307   14577           14578   14579
#   node3  4308   14587           14588   14589
#
# root logs in over TCP with an empty password on every node. Data directories are
# test/bed/state/galera/nodeN (each node's cnf, pid file and start-up output beside
# them), or /var/lib/setmov-bed-galera/nodeN when the mysql user cannot traverse the
# path to test/bed/state (a checkout under a private home, say).
#
#   galera.sh start         starts what is missing in the background and returns at once
#   galera.sh wait [SECS]   waits (default 180 s) until the 3 nodes are Synced, size 3
#   galera.sh up            start + wait
#   galera.sh stop          stops the nodes by pid (node3, node2, node1): data stays
#   galera.sh status        one line per node; exit 3 when the cluster is not ready
#   galera.sh start-node N  starts node N alone, as a joiner (or bootstraps it when no
#                           other node runs): for tests that killed it; returns at once
#   galera.sh json          the cluster as a JSON object (bed.json's "galera")
#
# Bring-up: when no node runs, the node to bootstrap (--wsrep-new-cluster) is the one
# Galera marked safe_to_bootstrap (the last to stop cleanly), else the one with the
# highest seqno in its grastate.dat, else node1; it gets safe_to_bootstrap: 1. The bed
# holds only test data, so a node that cannot join (its state diverged) loses its
# grastate.dat and takes a full state transfer, and one that still fails is wiped.
# A joiner's data directory starts empty: the rsync SST fills it before the storage
# engines start, so only the bootstrapping node needs mariadb-install-db.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $(id -u) == 0 ]] || die "run as root (the nodes start as root and drop to the mysql user)"

GALERA_SCRIPT="$BED_DIR/galera.sh"
GALERA_CLUSTER=setmov-bed
GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so
GALERA_NODES=(1 2 3)
# Sockets live on /run: a checkout's path may be too long for a unix socket's name.
GALERA_RUN=/run/setmov-bed-galera

# The mysql user must reach the data directories (the nodes drop to it, and so do
# their rsync transfers). Where it cannot traverse the path to test/bed/state, they
# go to /var/lib/setmov-bed-galera instead (one bed per machine anyway: fixed ports).
galera_home() {
  mkdir -p "$BED_STATE"
  if runuser -u mysql -- test -x "$BED_STATE" 2>/dev/null; then
    echo "$BED_STATE/galera"
  else
    echo /var/lib/setmov-bed-galera
  fi
}
GALERA_DIR=$(galera_home)
COORD_PID="$GALERA_DIR/bring-up.pid"
COORD_LOG="$GALERA_DIR/bring-up.log"

sql_port() { echo $((4305 + $1)); }
group_port() { echo $((14557 + 10 * $1)); }
ist_port() { echo $((14558 + 10 * $1)); }
sst_port() { echo $((14559 + 10 * $1)); }
node_dir() { echo "$GALERA_DIR/node$1"; }
node_cnf() { echo "$GALERA_DIR/node$1.cnf"; }
node_pid() { echo "$GALERA_DIR/node$1.pid"; }
node_out() { echo "$GALERA_DIR/node$1.out"; }
node_log() { echo "$GALERA_DIR/node$1/error.log"; }
node_sock() { echo "$GALERA_RUN/node$1.sock"; }
node_alive() { pid_alive "$(node_pid "$1")" "$(node_cnf "$1")"; }

prepare_dirs() {
  [[ -r $GALERA_PROVIDER ]] || die "galera: $GALERA_PROVIDER missing (apt-get install galera-4)"
  command -v rsync >/dev/null || die "galera: rsync missing (apt-get install rsync)"
  mkdir -p "$GALERA_DIR" "$GALERA_RUN"
  # Only the galera folder itself is opened to others (root's umask may have closed it).
  chmod o+x "$GALERA_DIR"
  chown mysql:mysql "$GALERA_RUN"
}

cnf_text() {
  local n=$1 dir peers="" k
  dir=$(node_dir "$n")
  for k in "${GALERA_NODES[@]}"; do peers+="${peers:+,}127.0.0.1:$(group_port "$k")"; done
  cat <<CNF
# Written by test/bed/galera.sh; mariadbd --defaults-file reads only this file.
[mysqld]
user=mysql
datadir=$dir
socket=$(node_sock "$n")
pid-file=$dir/mysqld.pid
log-error=$(node_log "$n")
port=$(sql_port "$n")
bind-address=127.0.0.1
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=64M
innodb_log_file_size=32M
innodb_log_buffer_size=4M
innodb_flush_log_at_trx_commit=2
key_buffer_size=1M
aria_pagecache_buffer_size=8M
max_connections=50
table_open_cache=256
thread_cache_size=4
performance_schema=OFF
wsrep_on=ON
wsrep_provider=$GALERA_PROVIDER
wsrep_cluster_name=$GALERA_CLUSTER
wsrep_cluster_address=gcomm://$peers
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1
wsrep_provider_options="base_port=$(group_port "$n");gmcast.listen_addr=tcp://127.0.0.1:$(group_port "$n");gcache.size=32M;evs.suspect_timeout=PT30S;evs.inactive_timeout=PT60S;ist.recv_addr=127.0.0.1:$(ist_port "$n")"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$(sst_port "$n")
CNF
}

# Writes node N's cnf; returns 1 when it had to change (0 when it was already so).
write_cnf() {
  local cnf text
  cnf=$(node_cnf "$1")
  text=$(cnf_text "$1")
  [[ -f $cnf && $(<"$cnf") == "$text" ]] && return 0
  printf '%s\n' "$text" >"$cnf.tmp"
  chmod 644 "$cnf.tmp"
  mv "$cnf.tmp" "$cnf"
  return 1
}

# "ready|size|state|status" of node N (wsrep_ready, wsrep_cluster_size,
# wsrep_local_state_comment, wsrep_cluster_status), empty when it does not answer.
node_status() {
  mysql --no-defaults --protocol=tcp -h127.0.0.1 -P"$(sql_port "$1")" -uroot --connect-timeout=2 -N -B \
    -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready','wsrep_cluster_size','wsrep_local_state_comment','wsrep_cluster_status')" \
    2>/dev/null | awk -F'\t' '{ v[$1] = $2 } END { if (NR) print v["wsrep_ready"] "|" v["wsrep_cluster_size"] "|" v["wsrep_local_state_comment"] "|" v["wsrep_cluster_status"] }' || true
}

# True when node N runs, is ready and Synced, in a primary component of $2 nodes (default 3).
node_ready() {
  node_alive "$1" || return 1
  [[ $(node_status "$1") == "ON|${2:-3}|Synced|Primary" ]]
}

cluster_ready() {
  local n
  for n in "${GALERA_NODES[@]}"; do node_ready "$n" || return 1; done
}

grastate_field() { sed -n "s/^$2: *//p" "$(node_dir "$1")/grastate.dat" 2>/dev/null | head -n1; }

# A listener on one of node N's ports that is not node N: another checkout's bed node or
# a state-transfer rsync left behind by a killed node is stopped; anything else is fatal.
free_ports() {
  local n=$1 port pids pid cmd
  for port in "$(sql_port "$n")" "$(group_port "$n")" "$(ist_port "$n")" "$(sst_port "$n")"; do
    pids=$(ss -Hltnp "sport = :$port" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true)
    for pid in $pids; do
      cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || echo '?')
      if [[ $cmd == *mariadbd*galera/node[123].cnf* || $cmd == *rsync*"$(node_dir "$n")"* ]]; then
        step "galera: 127.0.0.1:$port is held by a stale bed process (pid $pid: ${cmd:0:100}): stopping it"
        kill "$pid" 2>/dev/null || true
        sleep 1
        kill -9 "$pid" 2>/dev/null || true
      else
        die "galera: 127.0.0.1:$port (node$n) is taken by pid $pid: ${cmd:0:120}"
      fi
    done
  done
}

# Moves node N's data directory aside (its error log kept beside it) and makes it anew:
# with mariadb-install-db for a bootstrapping node ($2 = full), empty for a joiner.
remake_datadir() {
  local n=$1 how=$2 dir
  dir=$(node_dir "$n")
  if [[ -e $dir ]]; then
    [[ -f $dir/error.log ]] && mv "$dir/error.log" "$GALERA_DIR/node$n.wiped.log"
    rm -rf "$dir"
  fi
  if [[ $how == full ]]; then
    step "galera: node$n: mariadb-install-db"
    mariadb-install-db --no-defaults --user=mysql --datadir="$dir" \
      --auth-root-authentication-method=normal >"$GALERA_DIR/node$n.install.log" 2>&1 ||
      die "galera: mariadb-install-db for node$n failed (see $GALERA_DIR/node$n.install.log)"
  else
    mkdir -p "$dir"
  fi
  chown -R mysql:mysql "$dir"
  chmod 750 "$dir"
}

# A data directory a node can start from: the system tables and InnoDB's files.
datadir_whole() {
  local dir
  dir=$(node_dir "$1")
  [[ -s $dir/mysql/global_priv.frm && -s $dir/ibdata1 ]]
}

# After a crash grastate.dat says seqno: -1 and the node's position is known only to
# InnoDB: `mariadbd --wsrep-recover` reads it (as galera_recovery does for mysqld_safe)
# and it is written into grastate.dat, so that the node catches up by IST (from a
# donor's gcache) instead of a full transfer, and the right node is bootstrapped.
recover_seqno() {
  local n=$1 dir uuid pos
  dir=$(node_dir "$n")
  [[ -f $dir/grastate.dat && $(grastate_field "$n" seqno) == -1 ]] || return 0
  datadir_whole "$n" || return 0
  uuid=$(grastate_field "$n" uuid)
  pos=$(timeout 120 /usr/sbin/mariadbd --defaults-file="$(node_cnf "$n")" --wsrep-recover --disable-log-error 2>&1 |
    sed -n 's/.*WSREP: Recovered position: *//p' | tail -n1 || true)
  if [[ $pos =~ ^([0-9a-f-]{36}):([0-9]+)$ && ${BASH_REMATCH[1]} == "$uuid" ]]; then
    step "galera: node$n: recovered position $pos"
    sed -i "s/^seqno: *-1\$/seqno:   ${BASH_REMATCH[2]}/" "$dir/grastate.dat"
    chown mysql:mysql "$dir/grastate.dat"
  fi
}

# Runs "${@:2}" detached (own session, output appended to file $1) with no descriptor
# but 0-2: what the caller holds open, such as the lock of `flock /tmp/bed.lock`, must
# not stay held for as long as a node runs. Sets DETACHED_PID (the command's own pid).
detach() {
  local out=$1
  shift
  (
    for fd in "/proc/$BASHPID/fd"/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec $fd>&-"; fi
    done
    exec setsid nohup "$@" </dev/null >>"$out" 2>&1
  ) &
  DETACHED_PID=$!
}

# Starts node N in the background ($2 = bootstrap: as a new cluster); returns at once.
launch_node() {
  local n=$1 mode=${2:-join} extra=() dir
  dir=$(node_dir "$n")
  write_cnf "$n" || true
  free_ports "$n"
  recover_seqno "$n"
  if [[ $mode == bootstrap ]]; then
    datadir_whole "$n" || remake_datadir "$n" full
    if [[ -f $dir/grastate.dat ]]; then
      sed -i 's/^safe_to_bootstrap: *0/safe_to_bootstrap: 1/' "$dir/grastate.dat"
      chown mysql:mysql "$dir/grastate.dat"
    fi
    extra=(--wsrep-new-cluster)
  else
    datadir_whole "$n" || remake_datadir "$n" empty
  fi
  step "galera: node$n: starting on 127.0.0.1:$(sql_port "$n") ($mode)"
  # The node outlives this script; the detached pid is mariadbd itself (exec all along).
  detach "$(node_out "$n")" /usr/sbin/mariadbd --defaults-file="$(node_cnf "$n")" "${extra[@]}"
  local pid=$DETACHED_PID i
  echo "$pid" >"$(node_pid "$n")"
  # Until the forked shell has exec'd mariadbd, the pid is not yet recognisably the node.
  for ((i = 0; i < 100; i++)); do
    node_alive "$n" && return 0
    [[ -d /proc/$pid ]] || break
    sleep 0.05
  done
  node_alive "$n" || step "galera: node$n exited at once (see $(node_out "$n") and $(node_log "$n"))"
}

# Waits up to $2 s for node N to be ready in a cluster of $3 nodes: 0 ready, 1 died, 2 timeout.
await_node() {
  local n=$1 want=$3 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    node_alive "$n" || return 1
    node_ready "$n" "$want" && return 0
    sleep 1
  done
  return 2
}

node_state() {
  local s ready size state status
  if ! node_alive "$1"; then
    echo "not running"
    return
  fi
  s=$(node_status "$1")
  if [[ -z $s ]]; then
    echo "running (pid $(<"$(node_pid "$1")")), not answering SQL yet"
    return
  fi
  IFS='|' read -r ready size state status <<<"$s"
  echo "wsrep_ready=$ready, cluster size $size, $state, $status"
}

# The background bring-up (run by `start` under setsid): bootstraps when no node runs,
# then starts the missing joiners and sees them through, retrying a failed one.
bring_up() {
  local n alive=() boot="" want k attempt rc
  for n in "${GALERA_NODES[@]}"; do node_alive "$n" && alive+=("$n"); done
  if ((${#alive[@]} == 0)); then
    boot=$(pick_bootstrap)
    step "galera: no node runs: bootstrapping node$boot"
    for attempt in 1 2; do
      launch_node "$boot" bootstrap
      rc=0
      await_node "$boot" 120 1 || rc=$?
      ((rc == 0)) && break
      ((attempt == 2)) && die "galera: node$boot did not bootstrap (see $(node_log "$boot"))"
      step "galera: node$boot failed to bootstrap: making its data directory anew"
      kill_pidfile "$(node_pid "$boot")" "$(node_cnf "$boot")"
      remake_datadir "$boot" full
    done
    # install-db's root@localhost already takes an empty password over TCP; where it
    # does not, allow it as up.sh does on 3306 (it replicates to the joiners).
    if ! mysql --no-defaults --protocol=tcp -h127.0.0.1 -P"$(sql_port "$boot")" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
      step "galera: allowing root over TCP with an empty password"
      mysql --no-defaults -S "$(node_sock "$boot")" -uroot -e \
        "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')"
    fi
    alive=("$boot")
  else
    primary_or_bootstrap "${alive[@]}"
  fi
  local joiners=()
  for n in "${GALERA_NODES[@]}"; do
    node_alive "$n" || joiners+=("$n")
  done
  declare -A tries=()
  for n in "${joiners[@]}"; do
    tries[$n]=1
    launch_node "$n" join
  done
  # Joiners take a full rsync transfer the first time (one at a time: a donor serves one,
  # the other retries), IST from the gcache after a restart.
  local deadline=$((SECONDS + 600)) pending
  while ((SECONDS < deadline)); do
    pending=0
    for n in "${joiners[@]}"; do
      node_ready "$n" && continue
      pending=1
      node_alive "$n" && continue
      k=${tries[$n]}
      ((k >= 3)) && die "galera: node$n failed to join 3 times (see $(node_log "$n"))"
      tries[$n]=$((k + 1))
      if ((k == 1)); then
        step "galera: node$n stopped while joining: dropping its grastate.dat (full state transfer)"
        rm -f "$(node_dir "$n")/grastate.dat"
      else
        step "galera: node$n stopped while joining again: emptying its data directory"
        remake_datadir "$n" empty
      fi
      launch_node "$n" join
    done
    ((pending)) || break
    sleep 1
  done
  want=${#GALERA_NODES[@]}
  for n in "${GALERA_NODES[@]}"; do
    await_node "$n" 60 "$want" || die "galera: node$n is not ready: $(node_state "$n")"
  done
  step "galera: 3 nodes Synced"
}

# The node to bootstrap when none runs: the one marked safe_to_bootstrap, else the
# highest seqno (-1 after a crash counts as lowest), else node1.
pick_bootstrap() {
  local n seq best=1 best_seq=-2
  for n in "${GALERA_NODES[@]}"; do recover_seqno "$n" >&2; done
  for n in "${GALERA_NODES[@]}"; do
    datadir_whole "$n" || continue
    if [[ $(grastate_field "$n" safe_to_bootstrap) == 1 ]]; then
      echo "$n"
      return
    fi
  done
  for n in "${GALERA_NODES[@]}"; do
    datadir_whole "$n" || continue
    seq=$(grastate_field "$n" seqno)
    [[ $seq =~ ^-?[0-9]+$ ]] || seq=-1
    if ((seq > best_seq)); then
      best=$n
      best_seq=$seq
    fi
  done
  echo "$best"
}

# Some nodes run: when none of them is in a primary component (the others were killed),
# the first that answers is made primary (pc.bootstrap) so the rest can join it.
primary_or_bootstrap() {
  local n s i
  for ((i = 0; i < 120; i++)); do
    for n in "$@"; do
      s=$(node_status "$n")
      [[ $s == *"|Primary" ]] && return 0
    done
    for n in "$@"; do
      s=$(node_status "$n")
      if [[ $s == *"|non-Primary" || $s == *"|Disconnected" ]]; then
        step "galera: node$n runs outside a primary component: making it primary"
        mysql --no-defaults --protocol=tcp -h127.0.0.1 -P"$(sql_port "$n")" -uroot \
          -e "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'" || true
      fi
    done
    sleep 1
  done
  die "galera: none of the running nodes ($*) reached a primary component"
}

start() {
  prepare_dirs
  local n changed=()
  for n in "${GALERA_NODES[@]}"; do
    write_cnf "$n" || changed+=("$n")
  done
  # A node running with settings that have since changed is restarted (node1 last, so
  # that Galera marks it safe to bootstrap when all three go).
  for ((n = ${#GALERA_NODES[@]}; n >= 1; n--)); do
    if [[ " ${changed[*]} " == *" $n "* ]] && node_alive "$n"; then
      step "galera: node$n: settings changed, stopping it"
      kill_pidfile "$(node_pid "$n")" "$(node_cnf "$n")"
    fi
  done
  if cluster_ready; then
    step "galera: 3 nodes ready on 127.0.0.1:4306-4308"
    return 0
  fi
  if pid_alive "$COORD_PID" "galera.sh bring-up"; then
    step "galera: bring-up already under way (pid $(<"$COORD_PID"), log $COORD_LOG)"
    return 0
  fi
  for n in "${GALERA_NODES[@]}"; do
    node_alive "$n" || free_ports "$n"
  done
  step "galera: bringing the cluster up in the background (log $COORD_LOG)"
  : >"$COORD_LOG"
  detach "$COORD_LOG" bash "$GALERA_SCRIPT" bring-up
  local pid=$DETACHED_PID i
  echo "$pid" >"$COORD_PID"
  for ((i = 0; i < 100; i++)); do
    pid_alive "$COORD_PID" "galera.sh bring-up" && return 0
    [[ -d /proc/$pid ]] || return 0
    sleep 0.05
  done
}

wait_ready() {
  local limit=${1:-180} deadline n
  deadline=$((SECONDS + limit))
  while ! cluster_ready; do
    # Nodes that run may still be joining; a node that is down stays down once the
    # bring-up has ended (it gave up, or the node was stopped since).
    if ! pid_alive "$COORD_PID" "galera.sh bring-up"; then
      for n in "${GALERA_NODES[@]}"; do
        node_alive "$n" && continue
        cluster_ready && break 2
        die "galera: node$n is not running and no bring-up is under way (run galera.sh start); bring-up log: $(tail -n 5 "$COORD_LOG" 2>/dev/null)$(first_unready_report)"
      done
    fi
    ((SECONDS < deadline)) || die "galera: not ready within $limit s:$(first_unready_report)"
    sleep 1
  done
  step "galera: 3 nodes ready on 127.0.0.1:4306-4308"
}

first_unready_report() {
  local n
  for n in "${GALERA_NODES[@]}"; do
    node_ready "$n" && continue
    printf '\nnode%s (127.0.0.1:%s) %s; last lines of %s:\n%s' "$n" "$(sql_port "$n")" \
      "$(node_state "$n")" "$(node_log "$n")" "$(tail -n 15 "$(node_log "$n")" 2>/dev/null)"
    return
  done
}

stop() {
  local n
  kill_pidfile "$COORD_PID" "galera.sh bring-up"
  for ((n = ${#GALERA_NODES[@]}; n >= 1; n--)); do
    if node_alive "$n"; then
      step "galera: stopping node$n"
      # A clean Galera shutdown takes a few seconds; kill_pidfile waits 10 s, then SIGKILL.
      kill_pidfile "$(node_pid "$n")" "$(node_cnf "$n")"
    fi
    rm -f "$(node_pid "$n")"
  done
}

start_node() {
  local n=$1 k others=0
  [[ $n =~ ^[123]$ ]] || die "usage: galera.sh start-node 1|2|3"
  prepare_dirs
  if node_alive "$n"; then
    step "galera: node$n already runs"
    return 0
  fi
  for k in "${GALERA_NODES[@]}"; do
    [[ $k != "$n" ]] && node_alive "$k" && others=1
  done
  if ((others)); then launch_node "$n" join; else launch_node "$n" bootstrap; fi
}

status() {
  local n rc=0
  for n in "${GALERA_NODES[@]}"; do
    echo "node$n 127.0.0.1:$(sql_port "$n"): $(node_state "$n")"
    node_ready "$n" || rc=3
  done
  return $rc
}

json() {
  local n nodes=""
  for n in "${GALERA_NODES[@]}"; do
    nodes+="${nodes:+,
      }{\"name\":\"node$n\",\"index\":$n,\"host\":\"127.0.0.1\",\"port\":$(sql_port "$n"),\"pidFile\":\"$(node_pid "$n")\",\"cnf\":\"$(node_cnf "$n")\",\"dataDir\":\"$(node_dir "$n")\",\"errorLog\":\"$(node_log "$n")\",\"socket\":\"$(node_sock "$n")\",\"groupPort\":$(group_port "$n"),\"istPort\":$(ist_port "$n"),\"sstPort\":$(sst_port "$n")}"
  done
  cat <<JSON
{
    "clusterName": "$GALERA_CLUSTER",
    "user": "root",
    "password": "",
    "controlScript": "$GALERA_SCRIPT",
    "nodes": [
      $nodes
    ]
  }
JSON
}

case "${1:-}" in
  start) start ;;
  wait) wait_ready "${2:-180}" ;;
  up)
    start
    wait_ready "${2:-180}"
    ;;
  stop) stop ;;
  status) status ;;
  start-node) start_node "${2:-}" ;;
  json) json ;;
  bring-up) bring_up ;;
  *)
    echo "usage: $0 start|wait [SECS]|up|stop|status|start-node N|json" >&2
    exit 2
    ;;
esac
