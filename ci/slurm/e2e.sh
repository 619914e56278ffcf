#!/usr/bin/env bash
# End-to-end: a shipped sweep as a real Slurm job array, merged by a dependent job, compared byte
# for byte with the same sweep run in one process; then a cancelled array task makes the merge
# name the missing shard, and re-submitting that index alone gives the identical result.
#
# The batch scripts are docs/cluster.md's, unchanged but for the paths (COPYSIM, SWEEP, OUT).
#
#   ci/slurm/e2e.sh [COPYSIM_BINARY]     (default: target/release/copysim, built if missing)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COPYSIM=${1:-$ROOT/target/release/copysim}
[[ $COPYSIM == /* ]] || COPYSIM=$PWD/$COPYSIM     # the jobs run in another folder
SWEEP=$ROOT/scenarios/sweeps/five-providers.sweep.toml
WORK=$(mktemp -d /tmp/copysim-slurm-e2e.XXXXXX)
CLUSTER=$ROOT/ci/slurm/cluster.sh

say() { echo "slurm-e2e: $*" >&2; }
show_logs() {
  for f in "$WORK"/*.out; do [[ -e $f ]] && { echo "----- $f" >&2; cat "$f" >&2; }; done
  return 0
}
finish() {
  local rc=$?
  ((rc == 0)) || { say "FAILED (exit $rc); the Slurm jobs' output files:"; show_logs; }
  bash "$CLUSTER" down || true
  rm -rf "$WORK"
  exit "$rc"
}
trap finish EXIT

[[ -x $COPYSIM ]] || (cd "$ROOT" && cargo build --locked --release)
bash "$CLUSTER" up
eval "$(bash "$CLUSTER" env)"

# The two batch scripts, cut out of docs/cluster.md; only the path values are filled in.
extract() { # the fenced bash block after the line naming $1
  awk -v name="\`$1\`" 'index($0, name) == 1 { found = 1 } found && /^```bash$/ { inside = 1; next }
       inside && /^```$/ { exit } inside { print }' "$ROOT/docs/cluster.md"
}
fill() { # script out_dir > filled script
  sed -e "s|^COPYSIM=[^ ]*|COPYSIM=$COPYSIM|" -e "s|^SWEEP=[^ ]*|SWEEP=$SWEEP|" -e "s|^OUT=[^ ]*|OUT=$2|" "$1"
}
extract copysim-sweep.sbatch >"$WORK/doc-sweep.sbatch"
extract copysim-merge.sbatch >"$WORK/doc-merge.sbatch"
grep -q 'SLURM_ARRAY_TASK_ID' "$WORK/doc-sweep.sbatch" || { say "no sweep batch script found in docs/cluster.md"; exit 1; }
grep -q 'merge' "$WORK/doc-merge.sbatch" || { say "no merge batch script found in docs/cluster.md"; exit 1; }
shards=$(sed -n 's/^SHARDS=\([0-9]*\).*/\1/p' "$WORK/doc-sweep.sbatch")
say "docs/cluster.md's scripts: an array of $shards shards and a dependent merge"

# The reference: the same sweep in one process.
"$COPYSIM" sweep "$SWEEP" --out "$WORK/reference" --quiet

wait_for_job() { # job id: until no task of it is pending or running (at most 10 minutes)
  for _ in $(seq 600); do squeue -h -j "$1" 2>/dev/null | grep -q . || return 0; sleep 1; done
  say "job $1 still queued after 10 minutes"; squeue >&2; return 1
}

# 1. The array and the merge as a dependent job, as a site would submit them.
cd "$WORK"
fill doc-sweep.sbatch "$WORK/run1" >sweep1.sbatch
fill doc-merge.sbatch "$WORK/run1" >merge1.sbatch
jobid=$(sbatch --parsable sweep1.sbatch)
jobid=${jobid%%;*}
say "submitted array job $jobid"
sbatch --wait --kill-on-invalid-dep=yes --dependency=afterok:"$jobid" merge1.sbatch >/dev/null \
  || { say "the merge job failed or never ran"; exit 1; }
diff -r "$WORK/reference" "$WORK/run1/merged" >/dev/null || { say "merged folder differs from the one-process sweep"; diff -r "$WORK/reference" "$WORK/run1/merged" | head -20 >&2; exit 1; }
say "merged array = one-process sweep, byte for byte ($(ls "$WORK/run1/merged" | wc -l) files)"

# 2. One task cancelled: the merge names the missing shard; re-submitting it alone repairs.
fill doc-sweep.sbatch "$WORK/run2" >sweep2.sbatch
fill doc-merge.sbatch "$WORK/run2" >merge2.sbatch
jobid=$(sbatch --parsable --hold sweep2.sbatch)
jobid=${jobid%%;*}
scancel "${jobid}_1"
scontrol release "$jobid"
wait_for_job "$jobid"
[[ ! -e $WORK/run2/shards/shard-1 ]] || { say "shard 1 ran though it was cancelled"; exit 1; }
if sbatch --wait merge2.sbatch >/dev/null 2>&1; then say "the merge accepted a missing shard"; exit 1; fi
grep -q "shard 1/$shards of sweep .* is missing" copysim-merge-*.out || { say "the merge did not name the missing shard"; exit 1; }
[[ ! -e $WORK/run2/merged ]] || { say "a refused merge wrote its folder"; exit 1; }
say "cancelled task: the merge refused, naming shard 1/$shards"
jobid=$(sbatch --parsable --array=1 sweep2.sbatch)
jobid=${jobid%%;*}
sbatch --wait --kill-on-invalid-dep=yes --dependency=afterok:"$jobid" merge2.sbatch >/dev/null \
  || { say "the repaired merge job failed or never ran"; exit 1; }
diff -r "$WORK/reference" "$WORK/run2/merged" >/dev/null || { say "the repaired merge differs"; exit 1; }
say "re-submitted index 1 alone: merged = one-process sweep, byte for byte"
say "ok"
