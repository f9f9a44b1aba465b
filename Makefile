# musow — two commands: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1:8000

.PHONY: test-fast bench-store bench-import bench-import-small browser-check bench-load bench-reports bench-reports-small demo test test-sqlite test-postgres postgres lint typecheck bench bench-reuse bench-small messages clean

$(BIN)/musow: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## demo: install, create ./var/musow.sqlite3, load the 2014 demo data, print the figures, serve
## (with public demonstration secrets, on this machine only: never for real data; values
## already in the environment win)
demo: export MUSOW_SECRET_KEY ?= musow-demo-only-secret-key-not-for-real-data-0123456789
demo: export MUSOW_ATTENDEE_KEY ?= musow-demo-only-attendee-key-not-for-real-data-0123456789
demo: $(BIN)/musow
	$(BIN)/musow demo
	$(BIN)/musow figures --year 2014 --lang fr
	$(BIN)/musow figures --year 2014 --lang en
	$(BIN)/musow serve --addr $(HOST)

## test: the whole suite, once on SQLite and once on PostgreSQL
## (with the browser tests in tests/e2e/ when /usr/bin/chromium is there)
test: $(BIN)/musow postgres lint browser-check test-sqlite test-postgres

## browser-check: say plainly whether the browser tests run (they are skipped without Chromium)
browser-check:
	@if [ -x /usr/bin/chromium ]; then echo "Browser tests (tests/e2e): run with /usr/bin/chromium."; \
	else echo "Browser tests (tests/e2e) are SKIPPED: /usr/bin/chromium is missing (apt-get install chromium)."; fi

## test-fast: the edit-test loop: SQLite only, no browser, on both cores (pytest-xdist)
test-fast: $(BIN)/musow
	MUSOW_DATABASE_URL= MUSOW_EXPECT_DB=sqlite $(BIN)/pytest -q -n 2 --ignore=tests/e2e $(ARGS)

test-sqlite: $(BIN)/musow
	MUSOW_DATABASE_URL= MUSOW_EXPECT_DB=sqlite $(BIN)/pytest -q

test-postgres: $(BIN)/musow postgres
	MUSOW_DATABASE_URL=$(PG_URL) MUSOW_EXPECT_DB=postgresql $(BIN)/pytest -q

## postgres: start the local PostgreSQL cluster if it is not answering
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  echo "Starting PostgreSQL…"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	  for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }

lint: $(BIN)/musow
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

## bench: full-size benchmark (1 000 000 activities, ~10 000 000 participation rows)
bench: $(BIN)/musow postgres
	$(BIN)/python -m bench.run --activities 1000000 --pg-url $(PG_URL)

## bench-reuse: time the databases `make bench` loaded again (row counts checked, no reload)
bench-reuse: $(BIN)/musow postgres
	$(BIN)/python -m bench.run --activities 1000000 --pg-url $(PG_URL) --reuse

## bench-store: the analytics store only (rebuild, exactness, timings, validations, memory)
## on the databases `make bench` loaded
bench-store: $(BIN)/musow postgres
	$(BIN)/python -m bench.run --activities 1000000 --pg-url $(PG_URL) --reuse --store-only

bench-small: $(BIN)/musow postgres
	$(BIN)/python -m bench.run --activities 20000 --pg-url $(PG_URL)

## bench-load: 20 signed-in users browsing the served app for 60 s (locust, loopback only).
## Full size, on the databases `make bench` loaded:
##   make bench-load LOAD_N=1000000 LOAD_ARGS="--database-url sqlite:///var/bench/musow_bench.sqlite3"
LOAD_N ?= 20000
LOAD_ARGS ?=
bench-load: $(BIN)/musow
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench.load --activities $(LOAD_N) $(LOAD_ARGS)

## bench-reports: the yearly report in every format (time, peak memory, figures vs the SQL
## floor) over the 1 000 000-activity databases `make bench` loaded (read only)
PG_BENCH_URL ?= postgres://postgres@127.0.0.1:5432/musow_bench
bench-reports: $(BIN)/musow postgres
	$(BIN)/python -m bench.reports --activities 1000000 --url sqlite:///var/bench/musow_bench.sqlite3
	$(BIN)/python -m bench.reports --activities 1000000 --url $(PG_BENCH_URL)

## bench-reports-small: the same over a 20 000-activity SQLite database of its own
bench-reports-small: $(BIN)/musow
	$(BIN)/python -m bench.reports --activities 20000

## bench-import: `musow import` of a 1 000 000-row activities file (CSV and XLSX) against a
## plain bulk insert, on SQLite and PostgreSQL (rows/s, peak memory, ratio)
bench-import: $(BIN)/musow postgres
	$(BIN)/python -m bench.imports --rows 1000000 --pg-url $(PG_URL)

## bench-import-small: the same with 20 000 rows
bench-import-small: $(BIN)/musow postgres
	$(BIN)/python -m bench.imports --rows 20000 --pg-url $(PG_URL)

## messages: refresh and compile the French/English translations
messages: $(BIN)/musow
	cd src/musow && MUSOW_DEBUG=1 ../../$(BIN)/django-admin makemessages -l fr -l en --no-obsolete --no-location --settings=musow.settings
	cd src/musow && MUSOW_DEBUG=1 ../../$(BIN)/django-admin compilemessages --settings=musow.settings

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
