#!/usr/bin/env bash
# Start or resume the GT v2 generator (bench/ranking/make_gt_v2.ts) in the background on the shared
# machine: its own process group (session), nice 19, one torch thread; the group leader's PID goes
# to /tmp/tfrazor_gt.pid (kill -STOP / -CONT -PID pauses and resumes it; kill -TERM -PID stops it,
# and this script resumes it from bench/ranking/gt_v2/progress.jsonl). Extra arguments go to
# make_gt_v2.ts (e.g. --limit 10). Log: work_dirs/bench_gt_v2/generator.log. With SHARD=i/n, it
# starts shard i of n (e.g. SHARD=0/2 and SHARD=1/2, one per core), PID file /tmp/tfrazor_gt_<i>.pid,
# log generator_<i>.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
shard=${SHARD:-0/1}
suffix=$([ "$shard" = 0/1 ] && echo "" || echo "_${shard%%/*}")
pidfile=${TFRAZOR_GT_PIDFILE:-/tmp/tfrazor_gt$suffix.pid}
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  echo "the generator is already running (PID $(cat "$pidfile"))" >&2
  exit 1
fi
mkdir -p work_dirs/bench_gt_v2
TFRAZOR_THREADS=1 setsid nice -n 19 node --import tsx bench/ranking/make_gt_v2.ts --shard "$shard" "$@" \
  >> "work_dirs/bench_gt_v2/generator$suffix.log" 2>&1 < /dev/null &
echo $! > "$pidfile"
echo "GT v2 generator started, PID $! (process group leader), log work_dirs/bench_gt_v2/generator$suffix.log"
