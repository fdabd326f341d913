#!/usr/bin/env bash
# Stops the daemons that .ci/slurm-up.sh started, by the PIDs it recorded (each only if still running).
dir="${SLURM_CI_DIR:-/tmp/proxynas-slurm}"
for name in slurmd slurmctld munged; do
  f="$dir/$name.pid.ci"; [ "$name" = munged ] && f="$dir/munged.pid"
  [ -f "$f" ] || continue
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$f"
done
echo "slurm: stopped"
