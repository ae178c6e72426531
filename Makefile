# Infopoint: `make run` serves the site on embedded SQLite; `make test` runs lint and every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test setup setup-dev lint pytest test-postgres messages translations clean

$(VENV)/.runtime: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

setup: $(VENV)/.runtime
	./scripts/system-packages.sh run
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity=0

setup-dev: $(VENV)/.dev
	./scripts/system-packages.sh test
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity=0

# Links in e-mails and the API name the port the site runs on, unless SITE_URL is set.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_default_content
	$(BIN)/python manage.py demo_coordinator
	@echo "Infopoint: http://127.0.0.1:$(PORT)/"
	$(BIN)/python manage.py serve 127.0.0.1:$(PORT)

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $$(find infopoint templates -name '*.html' 2>/dev/null)
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity=0
	$(BIN)/mypy infopoint config
	$(BIN)/bandit -q -c pyproject.toml -r infopoint config

pytest: setup-dev
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint pytest

# The same suite on PostgreSQL (DATABASE_URL must name a server; see .ci/run).
test-postgres: setup-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# Refreshes the .po files from the code and templates (then translate every new entry).
messages: setup-dev
	for lang in $$($(BIN)/python -c "from django.conf import settings; print(' '.join(c for c, _ in settings.LANGUAGES))"); do \
		$(BIN)/python manage.py makemessages --locale=$$lang --ignore=.venv --ignore=node_modules --no-location --no-obsolete; \
	done

clean:
	rm -rf $(VENV) staticfiles test-artifacts

# Benchmarks ---------------------------------------------------------------------------
# Print their figures (copy them into docs/benchmarks.md). They need Dovecot (setup-dev
# installs it) and a PostgreSQL server that lets them create a database
# (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/). Not part of `make test`.
.PHONY: bench
bench: setup-dev
	$(BIN)/python bench/mail_ingest.py
	$(BIN)/python bench/web_intake.py
	$(BIN)/python bench/inbox.py
	$(BIN)/python bench/appointments_slots.py
	$(BIN)/python bench/appointments_booking.py

# `make bench-reports`: every report over 1,000,000 enquiries on PostgreSQL (target < 2 s).
.PHONY: bench-reports
bench-reports: setup
	$(BIN)/python bench/reports.py

# `make bench-load`: the site under wrk at 10,000 to 1,000,000 enquiries (installs wrk as root).
.PHONY: bench-load
bench-load: setup
	./scripts/system-packages.sh bench
	$(BIN)/python bench/load.py
# Benchmarks end -----------------------------------------------------------------------

# Knowledge ----------------------------------------------------------------------------
# `make eval`: the knowledge engine's figures on the labelled questions, dev and held-out,
# beside a plain BM25 baseline, in a throw-away database (docs/quality.md).
# `make bench-knowledge`: search and triage latency and memory with 2,000 articles × 4.
.PHONY: eval bench-knowledge
eval: setup
	$(BIN)/python manage.py knowledge_eval

bench-knowledge: setup
	$(BIN)/python bench/knowledge_search.py
# Knowledge end ------------------------------------------------------------------------

# Production profile -------------------------------------------------------------------
# `make prod`: gunicorn, a Celery worker and Celery beat on PostgreSQL and Redis, in the
# foreground; Ctrl-C stops all three (scripts/prod.sh, README "Production profile").
# DATABASE_URL, REDIS_URL and BIND (default 127.0.0.1:8000) choose where.
.PHONY: prod
prod: setup
	./scripts/prod.sh
# Production profile end ---------------------------------------------------------------

# Backup and hand-over -----------------------------------------------------------------
# `make backup`: database and uploaded files into a new folder under BACKUP_DIR
# (default DATA_DIR/backups). `make restore BACKUP=<that folder>`: checks it, puts it back
# (asks first; stop the site and workers before) and migrates. docs/handover.md.
.PHONY: backup restore
backup: setup
	$(BIN)/python manage.py backup $(if $(BACKUP_DIR),--into $(BACKUP_DIR))

restore: setup
	@test -n "$(BACKUP)" || { echo "Name the backup folder: make restore BACKUP=<folder>"; exit 2; }
	$(BIN)/python manage.py restore $(BACKUP)
	$(BIN)/python manage.py migrate --noinput
# Backup and hand-over end -------------------------------------------------------------
