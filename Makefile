# Two commands: `make run` serves the portal, `make test` runs the suite.
# Both set everything up from a fresh clone.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# Where `make run` and `make serve` listen: `make run PORT=8101` or `PORT=8101 make run`.
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test`: one per core (auto), or 0 to run in this process.
TEST_WORKERS ?= auto

.PHONY: run worker test bench serve install messages lint format clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# .po -> .mo: GNU gettext's msgfmt where installed, else polib (gmg_portal/compile_messages.py).
messages: install
	@if [ -d locale ]; then \
		if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv -v0; \
		else $(PY) -m gmg_portal.compile_messages locale >/dev/null; fi; \
	fi

# The development server, with a worker of the job engine beside it (editions are rendered by workers);
# stopping the server (Ctrl-C) stops the worker too.
run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_real_data
	$(PY) manage.py ensure_demo_admin --address $(HOST):$(PORT)
	@$(PY) manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# A worker of the job engine in the foreground (editions, imports); run as many as the work needs.
worker: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py worker

# The whole suite, on every core, in a random order (pytest-randomly prints its seed; replay an order
# with PYTEST_ARGS=--randomly-seed=N). Then how long it took, set-up included.
test: install messages
	@start=$$(date +%s); \
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS); status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s in all (pytest's line above gives the test time)"; \
	exit $$status

# A production-like server: DJANGO_DEBUG=0, hashed static files, gunicorn
# (gunicorn.conf.py). Needs DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE).
# HTTP is redirected to HTTPS; to try it over plain HTTP on this machine:
# DJANGO_SECURE_SSL_REDIRECT=0 make serve.
serve: install messages
	@if [ -z "$$DJANGO_SECRET_KEY" ] && [ -z "$$DJANGO_SECRET_KEY_FILE" ]; then \
		echo "make serve: set DJANGO_SECRET_KEY (a random value of at least 32 characters) or DJANGO_SECRET_KEY_FILE;" >&2; \
		echo "  for example: DJANGO_SECRET_KEY=\$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') make serve" >&2; \
		exit 2; \
	fi
	DJANGO_DEBUG=0 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-$(HOST),localhost} \
		GUNICORN_BIND=$${GUNICORN_BIND:-$(HOST):$(PORT)} $(VENV)/bin/gunicorn -c gunicorn.conf.py

bench: install messages
	$(PY) -m pytest tests/bench -s -p no:randomly $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
