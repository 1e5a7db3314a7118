# Inovasi Award. `make run` serves the demo site; `make test` runs lint and the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# What running needs (`make run`), and the test, lint and browser tools on top of it
# (`make test`, `make lint`).
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format install install-dev migrate demo messages clean e2e bench screenshots

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

# The demo as a site is served: DEBUG off (the site's own 404 and 500 pages, in the
# visitor's language), static files from STATIC_ROOT through WhiteNoise, plain HTTP
# on this machine only, the e-mails' links where it serves (SITE_URL), printed.
RUN_ENV := DEBUG=0 SECRET_KEY=make-run-demo-only-not-a-secret-0123456789abcdef \
	ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL=http://127.0.0.1:8000 LOG_FORMAT=text \
	ACCOUNT_EMAIL_VERIFICATION=optional

run: demo
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

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

# The README's pictures (docs/screenshots), taken by the browser tests on the pages
# they walk; only this target writes them.
screenshots: install-dev
	bash .ci/install-browser
	SCREENSHOTS=1 E2E=1 $(VENV)/bin/pytest tests/e2e $(PYTEST_ARGS)

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
