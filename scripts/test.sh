#!/usr/bin/env bash
# The README's second command: install what is missing, check the format, run every test
# (Swift unit and end-to-end tests, then the independent Python cross-checks and the
# export checks in real parsers and headless Chromium, and the web app driven in headless
# Chromium through selenium).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
echo "== the repository stands on its own (nothing reads ../shared)"
# A clone has nothing beside it: no source, test, script or build file may read a path
# outside the repository (the conformance cases live in fixtures/conformance).
outside='\.\./shared|/work/shared|"shared", *"conformance"|shared/conformance'
if grep -rnE "$outside" Sources Tests Benchmarks scripts .ci Package.swift --exclude=test.sh; then
  echo "error: the lines above read files outside the repository" >&2
  exit 1
fi
echo "== format (swift format lint --strict)"
swift format lint --strict --recursive --parallel Sources Tests Benchmarks Package.swift
echo "== swift test"
swift build --build-tests 2>&1 | { grep -E "error:|Build complete" || true; } | tail -20
swift test --skip-build 2>&1 | tee .build/swift-test.log | { grep -E "✘|error|passed|failed" || true; } | tail -60
echo "== independent cross-checks (python)"
REGROUP_BIN=.build/debug/regroup python3 -m pytest -q scripts/independent
echo "== exports in real parsers and headless Chromium (python)"
REGROUP_BIN=.build/debug/regroup python3 -m pytest -q scripts/export_tests
echo "== OneRoster import and export read by an independent parser (python)"
REGROUP_BIN=.build/debug/regroup python3 -m pytest -q scripts/oneroster_tests
echo "== simulation report in headless Chromium (python)"
REGROUP_BIN=.build/debug/regroup python3 -m pytest -q scripts/simulate_tests
echo "== web app end to end in headless Chromium (python, selenium)"
REGROUP_BIN=.build/debug/regroup python3 -m pytest -q scripts/browser_tests
