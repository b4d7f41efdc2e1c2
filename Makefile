# AMK-bot: `make run` serves the bot locally, `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
E2E_STAMP := e2e/node_modules/.installed-$(shell cat e2e/package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck unit e2e playground manifest clean bench bench-volume

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

run: $(STAMP)
	$(PY) -m bot run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit: $(STAMP)
	$(PY) -m pytest -q

test: lint typecheck unit e2e

$(E2E_STAMP): e2e/package.json e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund
	@touch $@

e2e: $(STAMP) $(E2E_STAMP)
	$(PY) -m pytest -q -m e2e tests/e2e

# Reliability soak (not part of `make test`; up to about 20 minutes): Hypothesis fuzzing at
# 10,000 cases and rounds of random Teams faults; with TEST_DATABASE_URL=postgresql://… the
# same again on PostgreSQL. See docs/reliability.md.
.PHONY: soak
soak: $(STAMP)
	AMKBOT_SOAK=1 $(PY) -m pytest -q -m soak tests/reliability

playground: $(E2E_STAMP)
	cd e2e && TEAMSAPPTESTER_BROWSER=none BOT_ENDPOINT=http://127.0.0.1:$${PORT:-3978}/api/messages \
		node_modules/.bin/agentsplayground --disable-telemetry -p $${PLAYGROUND_PORT:-56150}

manifest: $(STAMP)
	$(PY) -m bot manifest --app-id $${MicrosoftAppId:?set MicrosoftAppId} --out amkbot.zip

# Load benchmark (not part of `make test`): our bot vs the botbuilder echo bot vs a bare handler
# at 1, 10 and 50 users; add BENCH_DATABASE_URL=postgresql://… for PostgreSQL (a fresh
# database of its own is created there and dropped afterwards). Updates docs/performance.md.
bench: $(STAMP)
	$(PY) -m bench.run --duration $${BENCH_DURATION:-15} --write-doc

# Data volume (not part of `make test`): seed a decade of university-scale data into a fresh
# SQLite file (and, with BENCH_DATABASE_URL, a fresh PostgreSQL database that is dropped
# afterwards), then time the digest and the exports; see docs/performance.md.
bench-volume: $(STAMP)
	$(PY) -m bench.volume all
	@if [ -n "$$BENCH_DATABASE_URL" ]; then \
		$(PY) -m bench.volume all --server-url "$$BENCH_DATABASE_URL"; fi

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache data
