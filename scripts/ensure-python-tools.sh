#!/usr/bin/env bash
# Installs the Python tools of requirements-dev.txt when one of them is missing, so that
# `npm run synth` and `npm test` work on a fresh machine. Quiet when all are present.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v cfn-lint >/dev/null 2>&1 || missing+=(cfn-lint)
command -v moto_server >/dev/null 2>&1 || missing+=(moto_server)
python3 -c 'import samtranslator' >/dev/null 2>&1 || missing+=(aws-sam-translator)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Python dev tools (missing: ${missing[*]}) from requirements-dev.txt"
  python3 -m pip install --quiet -r requirements-dev.txt
fi
