#!/usr/bin/env bash
# What the web tests and the web benchmark need beyond the Python packages:
# Debian's chromium (Playwright's own browser download is not used: tests launch
# /usr/bin/chromium through Playwright's executable_path), a font for it to render
# with, and wrk for benchmarks/bench_web.py. Safe to run again: installs only what is missing.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium fonts-liberation)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
[ ${#need[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
/usr/bin/chromium --version
