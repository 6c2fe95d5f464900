#!/usr/bin/env bash
# Runs vitest as if the clock said WHEN (UTC): every Node process is shifted by the same offset
# with libfaketime, and keeps ticking. A diagnostic for clock dependencies (the evening, Sundays,
# the New Year holidays), not part of `npm test` or CI.
#   npm run test:at -- "2026-12-31 20:50" --project integration --project e2e
# DynamoDB Local (Java) runs on the real clock: the JVM hangs under libfaketime. So the SDK sees a
# clock skew against it and retries an error once, and sdk-faults' "never retries a real failed
# condition" fails there by design; that one failure means nothing under this script.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: npm run test:at -- \"YYYY-MM-DD HH:MM\" [vitest arguments]   (the time is UTC)" >&2
  exit 2
fi
when="$1"
shift
if ! command -v faketime >/dev/null 2>&1; then
  echo "test:at needs libfaketime: sudo apt-get install faketime" >&2
  exit 2
fi
if ! target=$(date -u -d "$when" +%s 2>/dev/null); then
  echo "test:at: \"$when\" is not a date (try \"2026-12-31 20:50\")" >&2
  exit 2
fi
java_bin=$(command -v java) || { echo "test:at: java not found (DynamoDB Local needs Java 17+)" >&2; exit 2; }
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
printf '#!/bin/sh\nunset LD_PRELOAD FAKETIME\nexec "%s" "$@"\n' "$java_bin" >"$shim/java"
chmod +x "$shim/java"
offset=$((target - $(date -u +%s)))
echo "test:at: running at $(date -u -d "@$target" '+%Y-%m-%d %H:%M UTC') (offset ${offset} s)" >&2
PATH="$shim:$PATH" FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "+${offset}" npx vitest run "$@"
