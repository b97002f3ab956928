# Pagecart — `make run` serves the demo store, `make test` runs every check CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
THEME := theme/static_src
E2E := tests/e2e
CSS := theme/static/css/dist/styles.css

# `make run PORT=8080` (or HOST=): the links the site prints (canonical, sitemap, emails, the demo's logins)
# name that address too, unless SITE_URL is set in the environment.
ifneq ($(HOST):$(PORT),127.0.0.1:8000)
export SITE_URL ?= http://$(HOST):$(PORT)
endif

.DEFAULT_GOAL := help
.PHONY: help install install-runtime run migrate demo serve e2e-deps test test-services test-container lint check security css css-check clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# Two installs: what the site needs to run (requirements.txt), which is all `make run` waits for, and the
# test, lint and audit tools on top (requirements-dev.txt, which includes requirements.txt).
RUNTIME := $(VENV)/.installed-runtime

$(RUNTIME): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(RUNTIME)

install-runtime: $(RUNTIME) ## Make the virtualenv with only what the site needs to run (all run, demo, migrate and serve need)

install: $(VENV)/.installed ## Make the virtualenv with the runtime and the test, lint and audit tools

migrate: install-runtime ## Apply database migrations
	$(MANAGE) migrate --noinput

demo: migrate ## Load (or refresh) the demo store and cut every picture its pages show
	$(MANAGE) load_demo

serve: install-runtime ## Serve on http://$(HOST):$(PORT) without touching the database
	$(MANAGE) runserver $(HOST):$(PORT)

# The home page's pictures are cut before the server starts; the other pages' (about 700 renditions, AVIF
# slowest) are cut beside it by cut_demo_renditions, shop and products first, which says when it is done. It
# runs niced, so the server answers first while it works. migrate has just run the system checks.
# The scheduler (scheduled posts, lost webhooks, unsent mail, the nightly backup) runs beside runserver too.
# Ctrl-C stops runserver, and the trap then stops the others; the scheduler finishes the job it is in first.
run: migrate ## Set everything up and serve the demo store on http://127.0.0.1:8000 (editor at /admin/), with the scheduler
	$(MANAGE) load_demo --renditions=home
	@$(MANAGE) run_scheduler & scheduler=$$!; \
	nice -n 10 $(MANAGE) cut_demo_renditions & cutter=$$!; \
	trap 'kill $$scheduler $$cutter 2>/dev/null; wait $$scheduler $$cutter 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver --skip-checks $(HOST):$(PORT)

lint: install ## ruff lint and format check, the import contracts, the services' type check, hadolint on the Dockerfile
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

check: install ## Django system checks and the missing-migration check
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

# pip-audit looks each pinned version up in PyPI's JSON API (/pypi/NAME/VERSION/json), which lists the
# advisories against it. bin/audit-requirements says how many packages it could audit: the build machines
# here reach a PyPI mirror without that API, so none are, and it says so rather than "no vulnerabilities".
# PIP_AUDIT_STRICT=1 fails on packages it could not audit, for machines where the API answers.
# Advisories we accept, each as --ignore-vuln ID with the reason beside it. None at present.
PIP_AUDIT_IGNORE :=

security: install ## bandit on our code (config in pyproject.toml), then pip-audit on the pinned requirements
	$(BIN)/bandit -c pyproject.toml -r . --quiet
	bin/audit-requirements $(BIN)/pip-audit -r requirements.txt -r requirements-dev.txt $(PIP_AUDIT_IGNORE)

$(THEME)/node_modules/.package-lock.json: $(THEME)/package-lock.json
	cd $(THEME) && npm ci --no-audit --no-fund
	touch $@

css: $(THEME)/node_modules/.package-lock.json ## Rebuild the committed Tailwind CSS after template changes
	cd $(THEME) && npm run build

css-check: $(THEME)/node_modules/.package-lock.json ## Fail if the committed CSS is stale
	@tmp=$$(mktemp --suffix=.css) && \
	  (cd $(THEME) && NODE_ENV=production npx postcss ./src/styles.css -o $$tmp --minify) && \
	  if cmp -s $$tmp $(CSS); then echo "CSS is up to date."; rm -f $$tmp; \
	  else echo "$(CSS) is stale: run 'make css' and commit it."; rm -f $$tmp; exit 1; fi

$(E2E)/node_modules/.package-lock.json: $(E2E)/package-lock.json
	cd $(E2E) && npm ci --no-audit --no-fund
	touch $@

e2e-deps: $(E2E)/node_modules/.package-lock.json ## Install what the browser journeys inject (axe-core)

test: lint check css-check security e2e-deps ## Run every check, the suite on SQLite and on PostgreSQL + Redis, then the container
	$(BIN)/pytest
	$(MAKE) --no-print-directory test-services
	$(MAKE) --no-print-directory test-container

test-services: install ## Run the test suite against PostgreSQL and Redis
	bin/with-services $(BIN)/pytest -q

test-container: install ## Build the image with podman, run it with a data volume, restart it, check the data (root)
	bin/container-test

clean: ## Remove the virtualenv, node_modules and collected static files (keeps data/)
	rm -rf $(VENV) $(THEME)/node_modules staticfiles
