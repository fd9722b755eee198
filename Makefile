# Two commands: `make run` serves the portal, `make test` runs the suite.
# Both set everything up from a fresh clone.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench serve install messages lint format clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# .po -> .mo: GNU gettext's msgfmt where installed, else the project's pure-Python compiler.
messages: install
	@if [ -d locale ]; then \
		if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv -v0; \
		else $(PY) -m gmg_portal.compile_messages locale >/dev/null; fi; \
	fi

run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata gmg
	$(PY) manage.py ensure_demo_admin
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install messages
	$(PY) -m pytest tests/bench -s -p no:randomly $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
