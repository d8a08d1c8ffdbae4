#!/usr/bin/env bash
# The documentation site: MkDocs Material over docs/ (mkdocs.yml at the repository root).
#   bash scripts/docs.sh         builds it into site/ with --strict: any warning (a broken
#                                link or anchor, a page missing from the nav) fails the build
#   bash scripts/docs.sh serve   serves it at http://127.0.0.1:8000 and rebuilds on changes
# Makes .venv-docs (python3 -m venv) with mkdocs-material the first time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

VENV="$PYOWNED_ROOT/.venv-docs"
MATERIAL='mkdocs-material>=9.5.20,<10'  # with mkdocs 1.6 (checked: 9.8.2 and mkdocs 1.6.1)

ensure_venv "$VENV" python3
if ! "$VENV/bin/python" - <<'PY' 2>/dev/null; then
import importlib.metadata as m, sys
material = tuple(int(p) for p in m.version("mkdocs-material").split(".")[:3])
mkdocs = tuple(int(p) for p in m.version("mkdocs").split(".")[:2])
sys.exit(0 if (9, 5, 20) <= material < (10, 0) and (1, 6) <= mkdocs < (2, 0) else 1)
PY
    echo "docs: pip-installing $MATERIAL into $VENV" >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$MATERIAL" 'mkdocs>=1.6,<2'
fi

cd "$PYOWNED_ROOT"
# Material 9.7+ prints a banner about its end of life on every build; not a warning of ours.
export NO_MKDOCS_2_WARNING=1
# The benchmark chart lives in bench/results/; mkdocs serves only docs/, so the page
# docs/benchmark.md shows a copy made here (docs/generated/ is not tracked).
mkdir -p docs/generated
cp bench/results/results.png docs/generated/results.png

if [[ ${1:-} == serve ]]; then
    exec "$VENV/bin/mkdocs" serve --strict
fi
banner "docs: mkdocs build --strict"
"$VENV/bin/mkdocs" build --strict --site-dir site
echo "docs: site/ built"
