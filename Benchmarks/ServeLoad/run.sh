#!/bin/sh
# Load on `regroup serve` (Benchmarks/README.md, "Web app load"): builds the release binary,
# installs wrk when it is missing (Debian), then runs run.py with any options given, e.g.
#   Benchmarks/ServeLoad/run.sh --clients 50 --duration 60
# The Markdown table goes to stdout; wrk's own summary and progress go to stderr.
set -eu
cd "$(dirname "$0")/../.."
if ! command -v wrk >/dev/null 2>&1; then
  apt-get install -y wrk >/dev/null
fi
swift build -c release --product regroup --scratch-path .build-web-release >&2
exec python3 Benchmarks/ServeLoad/run.py --regroup .build-web-release/release/regroup "$@"
