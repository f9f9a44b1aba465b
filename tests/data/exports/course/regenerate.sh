#!/usr/bin/env bash
# Regenerate the course test's export fixtures with KoboToolbox's and ODK Central's code.
#
#   tests/data/exports/course/regenerate.sh FORMPACK_DIR KPI_DIR CENTRAL_DIR
#
# The same checkouts and scratch installs as ../regenerate.sh (see ../README.md); set
# WORK to reuse that script's scratch directory (default /tmp/musow-exports).
set -euo pipefail
FORMPACK=$(realpath "$1"); KPI=$(realpath "$2"); CENTRAL=$(realpath "$3")
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
WORK=${WORK:-/tmp/musow-exports}
mkdir -p "$WORK/course-var" "$WORK/course-out"

# 1. The course's XLSForm, from the demo's induction course and its question bank.
export MUSOW_DEBUG=1 MUSOW_VAR_DIR="$WORK/course-var" MUSOW_DATABASE_URL="sqlite:///$WORK/course-var/musow.sqlite3"
"$REPO/.venv/bin/musow" setup >/dev/null
"$REPO/.venv/bin/musow" shell -c "from musow.trainings.demo import demo_courses; demo_courses()"
"$REPO/.venv/bin/musow" xlsform --course genre-maintien-paix-induction --lang fr,en \
  --out "$HERE/course-induction.xlsx"
unset MUSOW_DEBUG MUSOW_VAR_DIR MUSOW_DATABASE_URL
FORM_VERSION=$("$REPO/.venv/bin/python" -c "
from openpyxl import load_workbook
print(load_workbook('$HERE/course-induction.xlsx')['settings']['C2'].value)")
"$REPO/.venv/bin/python" -c "
from pyxform.xls2xform import convert
open('$WORK/course.xml', 'w').write(convert('$HERE/course-induction.xlsx').xform)"

# 2. KoboToolbox (formpack, in the virtualenv ../regenerate.sh makes).
[ -x "$WORK/formpack-venv/bin/python" ] || {
  python3 -m venv "$WORK/formpack-venv"
  "$WORK/formpack-venv/bin/pip" install -q -e "$FORMPACK" pyxform==3.0.0 openpyxl==3.1.3 \
    xlrd==2.0.1 xlsxwriter==3.2.9 python-dateutil
}
"$WORK/formpack-venv/bin/python" "$HERE/make_kobo.py" "$KPI" "$HERE/course-induction.xlsx" \
  "$WORK/course-out"

# 3. ODK Central (its export code's packages, as ../regenerate.sh installs them).
cd "$WORK" && [ -f package.json ] || echo '{"name": "musow-odk-exports", "private": true}' > package.json
[ -d "$WORK/node_modules/csv-stringify" ] || npm install --no-audit --no-fund --prefix "$WORK" \
  htmlparser2@10.0.0 ramda@0.32.0 csv-stringify@6.7.0 csv-parse@6.2.1 sanitize-filename@1.6.4 \
  archiver@7.0.1 entities@8.0.0 cloneable-readable@3.0.0 fast-myers-diff@3.2.0 >/dev/null
export NODE_PATH="$WORK/node_modules"
python3 "$HERE/course_submissions.py" "$FORM_VERSION" > "$WORK/course-records.json"
python3 "$HERE/course_submissions.py" "$FORM_VERSION" bad > "$WORK/course-records-bad.json"
node "$HERE/make_odk.js" "$CENTRAL" "$WORK/course.xml" "$WORK/course-records.json" \
  "$WORK/course-records-bad.json" "$WORK/course-out"

cp "$WORK"/course-out/* "$HERE/"
ls -l "$HERE"
