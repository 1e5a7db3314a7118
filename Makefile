# Inovasi Award. `make run` serves the demo site; `make test` runs lint and the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# What running needs (`make run`), and the test, lint and browser tools on top of it
# (`make test`, `make lint`).
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format install install-dev migrate demo messages clean e2e bench

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt requirements-e2e.txt
	$(PIP) install --quiet -r requirements-dev.txt -r requirements-e2e.txt
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_regions
	$(PY) manage.py load_demo

# The e-mails' links point where the site serves (SITE_URL).
run: demo
	SITE_URL=$${SITE_URL:-http://127.0.0.1:8000} $(PY) manage.py runserver 127.0.0.1:8000

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest --create-db -m "not postgres" $(PYTEST_ARGS)

e2e: install-dev
	bash .ci/install-browser
	E2E=1 $(VENV)/bin/pytest tests/e2e $(PYTEST_ARGS)

# The national-scale benchmark (docs/performance.md): PostgreSQL when DATABASE_URL is
# set (throw-away databases beside the one it names), else SQLite; bench/results.json.
bench: install
	$(PY) benchmarks/pages.py

messages: install
	$(PY) manage.py makemessages -l id -l en --ignore=.venv --ignore=staticfiles
	$(PY) manage.py makemessages -d djangojs -l id -l en --ignore=.venv --ignore=staticfiles --ignore=static/vendor
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media
