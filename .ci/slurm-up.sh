#!/usr/bin/env bash
# Starts a one-node Slurm (munged, slurmctld, slurmd as root) for the experiment end-to-end test, in seconds.
# Installs Debian's slurm-wlm and munge when sbatch is missing. Writes /etc/slurm/slurm.conf (localhost, 2 CPUs,
# no accounting) and keeps state, logs and the daemons' PIDs under $SLURM_CI_DIR (default /tmp/proxynas-slurm);
# .ci/slurm-down.sh stops them by those PIDs. Exits non-zero when Slurm cannot start: the caller decides.
set -euo pipefail
dir="${SLURM_CI_DIR:-/tmp/proxynas-slurm}"
if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null
fi
mkdir -p "$dir"/{state,spool,log} /run/munge /var/log/munge /var/lib/munge
cpus=2
# Memory Slurm may hand out: this machine's, less 1 GiB (slurmd drains a node that claims more than it has).
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=proxynas-ci
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=1000
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
MinJobAge=600
KillWait=5
NodeName=localhost NodeHostname=localhost CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=ci Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
# munged runs as its own user (it refuses a key owned by another); its PID file names the daemon.
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || { mungekey --create 2>/dev/null || create-munge-key -f; chown munge:munge /etc/munge/munge.key; }
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$dir/munged.pid"
fi
/usr/sbin/slurmctld -D -i > "$dir/log/slurmctld.out" 2>&1 &
echo $! > "$dir/slurmctld.pid.ci"
/usr/sbin/slurmd -D -N localhost > "$dir/log/slurmd.out" 2>&1 &
echo $! > "$dir/slurmd.pid.ci"
for _ in $(seq 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qx 'idle'; then echo "slurm: up (one node, $cpus CPUs; logs in $dir/log)"; exit 0; fi
  sleep 0.2
done
echo "slurm: the node did not become idle in 20 s; see $dir/log" >&2
exit 1
