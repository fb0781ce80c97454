# Indeks: `make run` serves the portal, `make test` passes the tests. Both set everything up.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
PORT    ?= 8000
WORKERS ?= 4
FLASK   := $(VENV)/bin/flask --app app

.PHONY: install translations system-deps run serve migrate seed test test-sqlite test-postgresql bench clean

$(VENV)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	# usos-mcp (the MCP server the client tests run) declares Python >= 3.14 but runs on 3.11
	$(PY) -m pip install -q --ignore-requires-python usos-mcp==0.4.0
	touch $@

install: $(VENV)/.installed translations

# Compiled catalogues are build products (not in git): compile every translations folder.
translations: $(VENV)/.installed
	@for d in translations portal/*/translations; do \
	  if [ -d "$$d" ]; then $(VENV)/bin/pybabel compile -f -d "$$d" 2>/dev/null >/dev/null || exit 1; fi; \
	done

# PostgreSQL (for the second test run) and Chromium (for the browser tests), from Debian.
system-deps:
	@bash .ci/system-deps.sh

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo --if-empty

run: seed
	@echo "Indeks on http://127.0.0.1:$(PORT)  (logins: admin, lecturer1, student1; password: demo)"
	$(VENV)/bin/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - app:app

test: install system-deps test-sqlite test-postgresql

test-sqlite: install
	$(VENV)/bin/pytest -q -p no:cacheprovider

test-postgresql: install
	INDEKS_TEST_DB=postgresql $(VENV)/bin/pytest -q -p no:cacheprovider

# Benchmarks, run by hand (they print figures; tests never time anything): wrk beside a bare
# Flask app, on SQLite and PostgreSQL (bench/run.py); the in-process cost per request (bench/cost.py).
bench: install
	@bash .ci/system-deps.sh wrk postgresql
	$(PY) bench/cost.py
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) instance .pytest_cache
