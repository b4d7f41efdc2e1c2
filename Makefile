# AMK-bot: `make run` serves the bot locally, `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
TEST_WORKERS ?= 2
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
NPM_STAMP := npm/node_modules/.installed-$(shell cat npm/package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck unit e2e playground manifest clean bench bench-volume bench-export lock

# Exactly the versions in the lock file (hash-checked), then the project itself.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip check
	@rm -f $(VENV)/.installed-*
	@touch $@

# Re-resolve the lock file from pyproject.toml's ranges (after changing a dependency).
UV_VERSION := 0.13.9
lock: $(STAMP)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" --quiet -o $(LOCK)

run: $(STAMP)
	$(PY) -m bot run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit: $(STAMP)
	$(PY) -m pytest -q -n $(TEST_WORKERS)

# Everything but the soak, the end-to-end tests included: one pytest run over $(TEST_WORKERS)
# worker processes; the Playground tests share one worker (xdist group), the rest spread.
test: lint typecheck $(NPM_STAMP)
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup -m 'not soak'

$(NPM_STAMP): npm/package.json npm/package-lock.json
	cd npm && npm ci --no-audit --no-fund
	@touch $@

e2e: $(STAMP) $(NPM_STAMP)
	$(PY) -m pytest -q -m e2e tests/e2e

# Reliability soak (not part of `make test`; up to about 20 minutes): Hypothesis fuzzing at
# 10,000 cases and rounds of random Teams faults; with TEST_DATABASE_URL=postgresql://… the
# same again on PostgreSQL. See docs/reliability.md.
.PHONY: soak
soak: $(STAMP)
	AMKBOT_SOAK=1 $(PY) -m pytest -q -m soak tests/reliability

# Screenshots of the forms at a phone's width (320 px) as Microsoft's Adaptive Cards renderer
# draws them with a Teams host config: docs/screenshots/card-*.png (from the snapshot data).
.PHONY: screenshots
screenshots: $(STAMP) $(NPM_STAMP)
	$(PY) -m tests.support.card_screenshots

playground: $(NPM_STAMP)
	cd npm && TEAMSAPPTESTER_BROWSER=none BOT_ENDPOINT=http://127.0.0.1:$${PORT:-3978}/api/messages \
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

# Other users' turns (p50/p99) while the secretariat exports the university's precursor roll-up
# as a file in the chat, on a decade of seeded data; see docs/performance.md.
bench-export: $(STAMP)
	$(PY) -m bench.export_load --scale $${BENCH_SCALE:-1} --duration $${BENCH_DURATION:-20}

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache data
