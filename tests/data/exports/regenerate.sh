#!/usr/bin/env bash
# Regenerate the export fixtures with KoboToolbox's and ODK Central's own code.
#
#   tests/data/exports/regenerate.sh FORMPACK_DIR KPI_DIR CENTRAL_DIR
#
# FORMPACK_DIR, KPI_DIR, CENTRAL_DIR: checkouts of kobotoolbox/formpack,
# kobotoolbox/kpi and getodk/central-backend (see README.md for the commits used).
# Everything is installed under a scratch directory ($WORK, default /tmp/musow-exports);
# nothing of those projects lands in this repository. Needs python3.11, node 20+, npm,
# and this repository's .venv (make .venv/bin/musow).
set -euo pipefail
FORMPACK=$(realpath "$1"); KPI=$(realpath "$2"); CENTRAL=$(realpath "$3")
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
WORK=${WORK:-/tmp/musow-exports}
mkdir -p "$WORK/var" "$WORK/out"

# 1. musow's own XLSForm, from the demo lists (organisations, campaigns, projects).
export MUSOW_VAR_DIR="$WORK/var" MUSOW_DATABASE_URL="sqlite:///$WORK/var/musow.sqlite3"
"$REPO/.venv/bin/musow" demo >/dev/null
"$REPO/.venv/bin/musow" xlsform --lang fr,en --out "$HERE/musow-activites.xlsx"
unset MUSOW_VAR_DIR MUSOW_DATABASE_URL
FORM_VERSION=$("$REPO/.venv/bin/python" -c "
from openpyxl import load_workbook
print(load_workbook('$HERE/musow-activites.xlsx')['settings']['C2'].value)")
# The XForm ODK Central would hold (pyxform, as musow's tests convert it).
"$REPO/.venv/bin/python" -c "
from pyxform.xls2xform import convert
open('$WORK/musow_activities.xml', 'w').write(convert('$HERE/musow-activites.xlsx').xform)"

# 2. KoboToolbox: formpack and its requirements (pyxform pinned as KPI pins it).
python3 -m venv "$WORK/formpack-venv"
"$WORK/formpack-venv/bin/pip" install -q -e "$FORMPACK" pyxform==3.0.0 openpyxl==3.1.3 \
  xlrd==2.0.1 xlsxwriter==3.2.9 python-dateutil
"$WORK/formpack-venv/bin/python" "$HERE/make_kobo.py" "$KPI" "$HERE/musow-activites.xlsx" "$WORK/out"

# 3. ODK Central: the packages its export code needs, at the versions of its package-lock.
cd "$WORK" && [ -f package.json ] || echo '{"name": "musow-odk-exports", "private": true}' > package.json
npm install --no-audit --no-fund --prefix "$WORK" htmlparser2@10.0.0 ramda@0.32.0 \
  csv-stringify@6.7.0 csv-parse@6.2.1 sanitize-filename@1.6.4 archiver@7.0.1 entities@8.0.0 \
  cloneable-readable@3.0.0 fast-myers-diff@3.2.0 >/dev/null
export NODE_PATH="$WORK/node_modules"
python3 "$HERE/submissions.py" musow_activities "$FORM_VERSION" > "$WORK/records.json"
python3 "$HERE/submissions.py" musow_activities "$FORM_VERSION" edited > "$WORK/records-edited.json"
node "$HERE/make_odk.js" "$CENTRAL" "$WORK/musow_activities.xml" "$WORK/records.json" \
  "$WORK/records-edited.json" "$WORK/out"

cp "$WORK"/out/kobo-* "$WORK"/out/odk* "$HERE/"
ls -l "$HERE"
