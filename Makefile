# Two commands a new user needs: `make demo` and `make test`. Both create their own virtualenv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint bench fuzz clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev,demo,postgres,redis]"
	touch $@

install: $(VENV)/.installed

## Install, load demo data on SQLite, and serve http://127.0.0.1:8000 (admin at /admin/) with a task worker.
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py loyalty_demo
	@echo "Serving http://$(HOST):$(PORT)/ (Wagtail admin at /admin/). Ctrl-C stops the site and its worker."
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --interval 2 >var/db_worker.log 2>&1 & \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload

## Install and run the whole test suite (browser tests run when Debian's chromium is installed).
test: install
	@if [ ! -x "$${LOYALTY_CHROMIUM:-/usr/bin/chromium}" ]; then \
	  echo "NOTE: no Chromium at $${LOYALTY_CHROMIUM:-/usr/bin/chromium}: browser tests will be SKIPPED (apt-get install -y chromium)."; fi
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Fuzz the partner API with schemathesis against a live server (CI runs this too).
fuzz: install
	scripts/api-fuzz

bench: install
	$(PY) bench/ledger.py

clean:
	rm -rf $(VENV) var
