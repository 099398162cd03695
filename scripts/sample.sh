#!/usr/bin/env bash
# The README's first command: install what is missing, build, and plan the bundled sample school.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product regroup 2>&1 | tail -1 >&2
exec .build/release/regroup plan fixtures/sample "$@"
