#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter: `python3.10` on PATH, or one
# installed through pyenv. Rasa 3.6 supports Python 3.8-3.10 only, so both
# environments are built from 3.10. Exits 1 with a clear message if none.
set -euo pipefail

works() { "$1" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; }

if command -v python3.10 >/dev/null 2>&1 && works python3.10; then
  command -v python3.10
  exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for candidate in $(ls -d "$root"/versions/3.10.* 2>/dev/null | sort -V -r); do
    if works "$candidate/bin/python3.10"; then
      echo "$candidate/bin/python3.10"
      exit 0
    fi
  done
fi
cat >&2 <<'MSG'
Python 3.10 was not found.
Rasa 3.6 runs on Python 3.8-3.10 only, and this project builds both of its
environments from Python 3.10. Install it, then run make again:
  - Debian/Ubuntu: apt-get install python3.10 python3.10-venv
  - pyenv:         pyenv install 3.10
MSG
exit 1
