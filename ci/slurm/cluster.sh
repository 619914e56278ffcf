#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for copysim's end-to-end sweep test.
#
#   ci/slurm/cluster.sh up     install slurm-wlm and munge when missing (apt-get, as root), write a
#                              single-node slurm.conf for this host, start munged, slurmctld and
#                              slurmd, and wait until sinfo shows the node idle. Idempotent.
#   ci/slurm/cluster.sh down   stop every daemon this script started, by the pid files it wrote.
#   ci/slurm/cluster.sh env    print the environment a client needs (export SLURM_CONF=...).
#
# Everything lives under $COPYSIM_SLURM_DIR (default /tmp/copysim-slurm): configuration, munge
# key and socket, state, spool, logs and pid files. Nothing under /etc is changed, and daemons are
# never found or stopped by name, only by the pid files written here.
set -euo pipefail

DIR=${COPYSIM_SLURM_DIR:-/tmp/copysim-slurm}
CTLD_PORT=${COPYSIM_SLURMCTLD_PORT:-6817}
SLURMD_PORT=${COPYSIM_SLURMD_PORT:-6818}
CONF=$DIR/slurm.conf

say() { echo "slurm-cluster: $*" >&2; }
die() { say "$*"; exit 1; }

running() { # pidfile
  [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

install_packages() {
  local missing=()
  command -v slurmctld >/dev/null || missing+=(slurm-wlm)
  command -v munged >/dev/null || missing+=(munge)
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) == 0 ]] || die "need root to install ${missing[*]} (apt-get)"
  say "installing ${missing[*]}"
  apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$DIR/apt.log" 2>&1 \
    || { cat "$DIR/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
}

write_config() {
  local host cpus mem_mb
  host=$(hostname -s)
  cpus=$(nproc)
  mem_mb=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log"
  cat >"$CONF" <<CONF
# Written by ci/slurm/cluster.sh: a single-node cluster on $host.
ClusterName=copysim
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$DIR/munge.socket
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
MaxArraySize=100000
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

start_munge() {
  running "$DIR/munged.pid" && return 0
  if [[ ! -s $DIR/munge.key ]]; then
    dd if=/dev/urandom of="$DIR/munge.key" bs=1024 count=1 status=none
  fi
  chmod 0400 "$DIR/munge.key"
  mkdir -p "$DIR/munge-seed"
  chmod 0700 "$DIR/munge-seed"
  munged --force --key-file="$DIR/munge.key" --socket="$DIR/munge.socket" \
    --pid-file="$DIR/munged.pid" --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge-seed/seed" \
    || die "munged did not start (see $DIR/log/munged.log)"
  for _ in $(seq 50); do running "$DIR/munged.pid" && return 0; sleep 0.1; done
  die "munged did not write its pid file"
}

start_daemon() { # name pidfile command...
  local name=$1 pidfile=$2; shift 2
  running "$pidfile" && return 0
  "$@" || die "$name did not start (see $DIR/log/$name.log)"
  for _ in $(seq 100); do running "$pidfile" && return 0; sleep 0.1; done
  tail -20 "$DIR/log/$name.log" >&2 || true
  die "$name did not stay up"
}

wait_idle() {
  local state
  for _ in $(seq 300); do
    state=$(SLURM_CONF=$CONF sinfo -h -N -o '%t' 2>/dev/null | head -1 || true)
    case $state in
      idle) say "node $(hostname -s) is idle"; return 0 ;;
      down*|drain*) SLURM_CONF=$CONF scontrol update nodename="$(hostname -s)" state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 0.2
  done
  tail -20 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log" >&2 || true
  die "the node never became idle (last state: ${state:-none})"
}

up() {
  mkdir -p "$DIR/log"
  install_packages
  write_config
  start_munge
  start_daemon slurmctld "$DIR/slurmctld.pid" env SLURM_CONF="$CONF" slurmctld -f "$CONF"
  start_daemon slurmd "$DIR/slurmd.pid" env SLURM_CONF="$CONF" slurmd -f "$CONF"
  wait_idle
}

stop_pidfile() { # name pidfile
  local pid
  [[ -s $2 ]] || return 0
  pid=$(cat "$2")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    say "stopped $1 (pid $pid)"
  fi
  rm -f "$2"
}

down() {
  stop_pidfile slurmd "$DIR/slurmd.pid"
  stop_pidfile slurmctld "$DIR/slurmctld.pid"
  stop_pidfile munged "$DIR/munged.pid"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  *) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
