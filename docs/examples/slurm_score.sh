#!/bin/bash
# Score the Track-1 list in 8 shards, one GPU each: sbatch docs/examples/slurm_score.sh
# A task that is requeued (pre-emption, node failure) resumes from its progress file.
#SBATCH --job-name=track1-score
#SBATCH --array=0-7
#SBATCH --gres=gpu:1
#SBATCH --cpus-per-task=8
#SBATCH --mem=32G
#SBATCH --time=24:00:00
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --output=logs/score_%A_%a.out
set -euo pipefail

CONFIG=${CONFIG:-configs/track1/resnet48_bignas.yaml}
CKPT=${CKPT:-work_dirs/resnet48_bignas/epoch_90.ckpt}
ARCHS=${ARCHS:-data/track1/CVPR_2022_NAS_Track1_test.json}
RESULTS=${RESULTS:-results}

n=${SLURM_ARRAY_TASK_COUNT}
i=${SLURM_ARRAY_TASK_ID}
mkdir -p "$RESULTS"
npx tsx tools/track1/score.ts "$CONFIG" "$CKPT" \
  --archs "$ARCHS" --out "$RESULTS/out.$i.json" --shard "$i/$n"
