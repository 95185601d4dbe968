#!/usr/bin/env bash
# Set up and run the whole test suite: lint, unit, AppTest, store and browser tests.
# Installs what the tests need: a Python venv with requirements-dev.txt, and (as root, or with sudo) Debian's
# chromium + fonts-noto-cjk for the browser tests, postgresql for the store tests and LibreOffice Writer for
# converting legacy Word documents, poppler-utils for reading PDFs back; axe-core from npm for the accessibility audit.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# grep reads the whole list (no -q): with pipefail, a grep that quits at the first match could fail the pipeline
# on fc-list's SIGPIPE, and the fonts would be "installed" again on every run
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)  # legacy .doc/.wps plan documents
command -v pdftotext >/dev/null || missing+=(poppler-utils)  # reading the meeting pack's PDFs back
command -v npm >/dev/null || missing+=(npm)  # fetching axe-core for the accessibility audit
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# axe-core, the accessibility checker the browser tests inject into each page (tests/e2e/test_accessibility.py),
# from npm into .cache/axe (git-ignored), once.
AXE_VERSION=4.14.1
if [ "$(node -p "require('./.cache/axe/node_modules/axe-core/package.json').version" 2>/dev/null)" != "$AXE_VERSION" ]; then
  npm install --no-save --no-audit --no-fund --silent --prefix .cache/axe "axe-core@$AXE_VERSION"
fi

# Python's compiled modules are kept (in __pycache__/, git-ignored) even where the environment says not to write
# them: otherwise each of the suite's ~200 Python processes (workers, servers, command lines, publishers) compiles
# ledger/, ui/ and the tests again, and each worker rewrites every test module's asserts again.
unset PYTHONDONTWRITEBYTECODE

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m mypy ledger/  # settings: [tool.mypy] in pyproject.toml
# pytest exits 5 when it collects nothing; tests/conftest.py also fails a run that executes no test
# and, with CI=true, a run that skips any. Three workers (pytest-xdist; TEST_WORKERS=0 runs in this process alone):
# the tests of a file that share a module's fixture run together in one of them (tests/conftest.py), the rest is
# shared out test by test. The 25 slowest set-ups, tests and tear-downs are listed at the end (--durations in
# pyproject.toml).
.venv/bin/python -m pytest -n "${TEST_WORKERS:-3}" --dist loadgroup "$@"
