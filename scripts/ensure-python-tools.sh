#!/usr/bin/env bash
# Installs the Python tools of requirements-dev.txt when one of them is missing, so that
# `npm run synth` and `npm test` work on a fresh machine. Quiet when all are present.
# The check imports the packages instead of looking for commands on PATH: pip may put console
# scripts in a folder that is not on PATH, and the scripts find them there (scripts/lib/run.ts).
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: bash scripts/ensure-python-tools.sh  (no flags; --help prints this)"
case "${1:-}" in
  "") ;;
  -h|--help)
    cat <<EOF
$usage

Installs the Python tools of requirements-dev.txt (cfn-lint, aws-sam-translator, moto[server])
with python3 -m pip when one is missing; prints nothing when all are present.

Exit status:
  0  the tools are importable
  1  pip could not install them (one line says why, e.g. no package index is reachable)
  2  the command line is wrong (it takes no arguments)
EOF
    exit 0 ;;
  *) echo "ensure-python-tools: unexpected argument \"$1\"" >&2; echo "$usage" >&2; exit 2 ;;
esac

if ! command -v python3 >/dev/null 2>&1; then
  echo "ensure-python-tools: python3 is not on PATH: install Python 3.9 or newer (cfn-lint, the SAM translator and moto_server are Python tools)" >&2
  exit 1
fi

missing=$(python3 - <<'EOF'
import importlib
checks = {"cfn-lint": "cfnlint", "aws-sam-translator": "samtranslator", "moto[server]": "moto.server"}
missing = []
for package, module in checks.items():
    try:
        importlib.import_module(module)
    except Exception:
        missing.append(package)
print(" ".join(missing))
EOF
)
[ -z "$missing" ] && exit 0

echo "Installing Python dev tools (missing: $missing) from requirements-dev.txt"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! python3 -m pip install --quiet -r requirements-dev.txt >"$log" 2>&1; then
  if grep -q 'externally-managed-environment' "$log"; then
    # PEP 668: Debian 12, Ubuntu 23.04+ and Homebrew's python3 refuse pip installs outside a venv.
    echo "ensure-python-tools: cannot install $missing: this python3 is externally managed (PEP 668); create a virtual environment and rerun: python3 -m venv .venv && . .venv/bin/activate" >&2
  elif grep -qE 'NewConnectionError|Failed to establish a new connection|Name or service not known|Temporary failure in name resolution|Network is unreachable|ProxyError|\(from versions: none\)' "$log"; then
    echo "ensure-python-tools: cannot install $missing: no Python package index is reachable (pip: $(grep -m1 -E '^(ERROR|error):' "$log" || tail -n1 "$log"))" >&2
  else
    echo "ensure-python-tools: pip could not install $missing from requirements-dev.txt: $(grep -m1 -E '^(ERROR|error):' "$log" || tail -n1 "$log")" >&2
  fi
  exit 1
fi
