#!/bin/bash
# Runs a batch study on a real single-node Slurm cluster started here from
# Debian's packages (apt-get install slurm-wlm munge), as TestSlurmCluster
# does with AGGLO_SLURM=1:
#
#   run.sh AGGLO SPEC WORKDIR [SHARDS]
#
# It starts munged, slurmctld and slurmd (as root) with a minimal slurm.conf
# in WORKDIR (its own munge socket and ports, no cgroups, no accounting
# database; completed jobs are recorded by jobcomp/filetxt), plans SPEC in
# SHARDS shards (default 4), submits DIR/submit.sbatch, waits for the merge
# job, checks that results/ equals an unsharded `agglo batch` byte for byte
# (tables and models/*.json); then runs shard 3 alone with the spec changed
# (it must refuse, and its merge must not run), restores the spec, re-runs
# shard 3 alone (sbatch --array=3) and checks the merge again; prints the
# job records and stops the daemons.
set -euo pipefail
AGGLO=$(readlink -f "$1"); SPEC=$(readlink -f "$2"); WORK=$(readlink -f "$3"); SHARDS=${4:-4}
for cmd in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
  command -v "$cmd" >/dev/null || { echo "run.sh: $cmd not found (apt-get install slurm-wlm munge)" >&2; exit 3; }
done
[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (the daemons run as root here)" >&2; exit 3; }
mkdir -p "$WORK"/{state,spool,log,munge}
chmod 700 "$WORK/munge"
HOST=$(hostname -s)
PORT=$((20000 + RANDOM % 20000))
export SLURM_CONF="$WORK/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=agglotest
SlurmctldHost=$HOST
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$WORK/munge/munge.socket
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$WORK/log/jobcomp.txt
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MinJobAge=600
NodeName=$HOST CPUs=$(nproc) RealMemory=2000 State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
stop() {
  if [ -f "$WORK/spec.orig" ]; then cp "$WORK/spec.orig" "$SPEC"; fi
  for p in slurmd slurmctld munged; do
    if [ -s "$WORK/$p.pid" ]; then kill "$(cat "$WORK/$p.pid")" 2>/dev/null || true; fi
  done
}
trap stop EXIT
dd if=/dev/urandom bs=1 count=1024 of="$WORK/munge/munge.key" 2>/dev/null
chmod 400 "$WORK/munge/munge.key"
munged --force --key-file="$WORK/munge/munge.key" --socket="$WORK/munge/munge.socket" \
  --pid-file="$WORK/munged.pid" --log-file="$WORK/log/munged.log" --seed-file="$WORK/munge/munge.seed"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 1
done
sinfo

PLAN="$WORK/plan"
"$AGGLO" batch plan "$SPEC" --out "$PLAN" --shards "$SHARDS" --slurm --agglo "$AGGLO" \
  --partition debug --time 00:10:00 --mem 500M --cpus-per-task 1

# wait_merge waits until the merge job queued by the array's first task
# has finished, and checks that it wrote results/.
wait_merge() {
  local array=$1 merge=""
  for _ in $(seq 300); do
    if [ -z "$merge" ]; then
      merge=$(squeue -h -o '%i %j' | awk '$2 ~ /-merge$/ {print $1}' | head -1)
    fi
    if [ -z "$(squeue -h -o %i)" ] && [ -f "$PLAN/logs/.merge-queued-$array" ]; then
      break
    fi
    sleep 1
  done
  [ -z "$(squeue -h -o %i)" ] || { echo "run.sh: jobs still queued after 300 s" >&2; squeue; exit 1; }
  [ -f "$PLAN/results/COMPLETE" ] || { echo "run.sh: no results (see $PLAN/logs)" >&2; tail -n 20 "$PLAN"/logs/*; exit 1; }
}
compare() {
  diff -r -q -x manifest.json "$WORK/unsharded" "$PLAN/results"
  echo "results/ equals the unsharded run (tables and $(ls "$PLAN/results/models" | wc -l) model files)"
}

ARRAY=$(sbatch --parsable "$PLAN/submit.sbatch")
echo "submitted array job $ARRAY"
"$AGGLO" batch "$SPEC" --out "$WORK/unsharded" --jobs 1 >/dev/null
wait_merge "$ARRAY"
compare

# A failed shard: shard 3 alone, with the spec changed since the plan,
# refuses to run; its merge is then never run (cancelled).
rm -rf "$PLAN/results" "$PLAN/shards/3"
cp "$SPEC" "$WORK/spec.orig"
echo "# changed after the plan" >> "$SPEC"
FAILED=$(sbatch --parsable --array=3 "$PLAN/submit.sbatch")
echo "submitted shard 3 with a changed spec as job $FAILED"
for _ in $(seq 120); do
  [ -f "$PLAN/logs/.merge-queued-$FAILED" ] && [ -z "$(squeue -h -o %i)" ] && break
  sleep 1
done
cp "$WORK/spec.orig" "$SPEC"
grep -q "changed since the plan" "$PLAN/logs/shard-3.out" || { echo "run.sh: shard 3 did not refuse the changed spec" >&2; cat "$PLAN/logs/shard-3.out"; exit 1; }
[ ! -e "$PLAN/results" ] || { echo "run.sh: the merge ran after a failed shard" >&2; exit 1; }
echo "shard 3 refused to run: $(grep -o 'changed since the plan' "$PLAN/logs/shard-3.out" | head -1); no merge"

# The failed shard is re-run alone; the merge follows it.
RERUN=$(sbatch --parsable --array=3 "$PLAN/submit.sbatch")
echo "re-submitted shard 3 as job $RERUN"
wait_merge "$RERUN"
compare

echo "job records (jobcomp/filetxt):"
cat "$WORK/log/jobcomp.txt"
