#!/usr/bin/env bash
# Set up, fill the embedded SQLite database, then serve the web UI on 127.0.0.1:8000.
#   bash scripts/run.sh                 track the bundled catalog over the internet
#   bash scripts/run.sh HISTORY_PATH    offline: import an Open Terms Archive history
#   LABELS=DIR bash scripts/run.sh ...  train the classifier on labelled JSONL first
# Data goes to $CLAUSEWATCH_DATA_DIR, by default ./data beside this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ge 1 ] && [ ! -e "$1" ]; then
    echo "No such history file or folder: $1" >&2
    exit 2
fi
bash scripts/setup.sh
export CLAUSEWATCH_DATA_DIR=${CLAUSEWATCH_DATA_DIR:-$PWD/data}
PORT=${PORT:-8000}
cw=.venv/bin/clausewatch
$cw init
# Without a trained model the patterns and the taxonomy's example sentences classify;
# a model trained on labelled data sets is more accurate.
if [ -n "${LABELS:-}" ]; then
    $cw train --labels "$LABELS"
fi
if [ $# -ge 1 ]; then
    # Import reports a bad file or a platform that an older import stored twice.
    # The files it could read stay stored, so the pages still serve them.
    $cw import "$1" || echo "Import failed for some files; see the errors above." >&2
else
    # Some platforms fail on any given day (blocked, moved); the run goes on.
    $cw track || echo "Some documents failed; see 'clausewatch show PLATFORM'." >&2
fi
# Sentence vectors let "How other platforms handle this" rank by meaning; without
# them the pages fall back to word overlap.
$cw embed || echo "Embedding failed; similar clauses are ranked by word overlap." >&2
$cw stats
# Unless CLAUSEWATCH_BASE_URL or clausewatch.toml sets base_url, permanent links and
# citations name the address served on.
exec $cw serve --host 127.0.0.1 --port "$PORT"
