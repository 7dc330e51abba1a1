#!/usr/bin/env bash
# SARIF is checked by a real consumer as well as by the schema (TestSARIFSchema): Microsoft's
# SARIF Multitool validates what leakdiag writes for one capture, a batch and a run with no
# findings, with its SARIF rules and GitHub's ingestion rules (--rule-kind "Sarif;Gh"). Any
# error or warning fails; the Multitool itself exits 0 whatever it finds, so its report is read.
#
# Usage: .ci/sarif-multitool.sh PREFIX
#   PREFIX is the folder given to npm install --prefix for @microsoft/sarif-multitool-linux
#   (.ci/run pins the version).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:?usage: .ci/sarif-multitool.sh PREFIX (the npm --prefix folder of @microsoft/sarif-multitool-linux)}
tool="$prefix/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -f "$tool" ]; then
  echo "sarif-multitool: no $tool (npm install --prefix $prefix @microsoft/sarif-multitool-linux)" >&2
  exit 1
fi
# npm may not run the package's postinstall, which makes the tool executable.
chmod u+x "$tool"
"$tool" --version 2>&1 | head -1

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/leakdiag" ./cmd/leakdiag
# Exit codes are not the point here (findings exit 1): the SARIF files are.
"$out/leakdiag" analyze --fail-on never --format sarif="$out/single.sarif" testdata/examples/registry-leak-contoso-agent.txt
"$out/leakdiag" analyze --fail-on never --format sarif="$out/batch.sarif" testdata/examples
"$out/leakdiag" analyze --fail-on never --format sarif="$out/none.sarif" cmd/leakdiag/testdata/series/other-host.txt
if grep -q '"results": \[$' "$out/none.sarif" || ! grep -q '"results": \[\]' "$out/none.sarif"; then
  echo "sarif-multitool: the run meant to have no findings has some" >&2
  exit 1
fi

failed=0
for name in single batch none; do
  log=$("$tool" validate --rule-kind "Sarif;Gh" "$out/$name.sarif" 2>&1) || { echo "$log" >&2; failed=1; continue; }
  problems=$(grep -E ': (error|warning) [A-Z]+[0-9]+: ' <<<"$log" || true)
  if [ -n "$problems" ] || ! grep -q 'Analysis completed successfully' <<<"$log"; then
    echo "sarif-multitool: $name.sarif:" >&2
    echo "${problems:-$log}" >&2
    failed=1
  else
    echo "sarif-multitool: $name.sarif: no error, no warning"
  fi
done
exit $failed
