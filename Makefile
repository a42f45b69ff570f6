# Two commands: `make dev` runs the whole service locally, `make test` runs every test.
# Both build their own virtual environment from pyproject.toml on first use; `make test` also
# installs what the browser tests need (Debian's headless Chromium, axe-core from npm).
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium-headless-shell
AXE      := node_modules/axe-core/axe.min.js
# checkov in its own environment: its pins would move boto3 back a year.
CHECKOV  := .venv-checkov/bin/checkov
SUDO     := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# USER is also the shell's login name: only a USER given on the command line names the token's user.
TOKEN_USER := $(if $(filter command line,$(origin USER)),$(USER),o.hughes)
# Python keeps each module's bytecode in __pycache__ (ignored by git), as it does by default: where
# the environment turns that off, every test process, runtime and subprocess compiled the whole
# tree again (collecting the tests alone took twice the CPU).
unexport PYTHONDONTWRITEBYTECODE
# POLICY=<file>: another landlord's policy document (docs/policy/README.md), for make dev (which
# takes up a change to it while running) and make token (that landlord's teams).
ifdef POLICY
export ASB_POLICY_FILE := $(abspath $(POLICY))
endif

.PHONY: dev test test-quick tick token outbox receiver bench load screenshots lint clean import-homes \
        migrate-parties check-policy

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade 'pip<26.3'  # chalice 1.34 pins pip below 26.3
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium-headless-shell >/dev/null

$(CHECKOV):
	$(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip install --quiet 'checkov==3.3.30'

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent

# make dev [POLICY=shared/asb/policy/landlords/fenmoor.yaml]: the service under that landlord's policy.
dev: $(STAMP)
	$(BIN)/python -m infra.local

# pytest-xdist: one worker per core (WORKERS=1 runs them in one process, one after another).
WORKERS  ?= auto

# The tests marked serial run in a process of their own, beside the workers (their report
# follows the workers'): under pytest-xdist schemathesis's generated tests (one per operation of
# the OpenAPI document) collapse into one that checks one. Either failing fails make test.
# SERIAL_TESTS are the modules that hold them (tests/infra/test_make_test.py checks it): the
# schemathesis module builds its generated cases as it is collected (7 s a process), so the
# workers leave it out instead of collecting it to deselect.
SERIAL_TESTS := tests/e2e/test_api_conformance.py
test: $(STAMP) $(CHROMIUM) $(AXE) $(CHECKOV)
	@mkdir -p .local
	$(BIN)/python -m pytest -n 0 -m serial -p no:cacheprovider $(SERIAL_TESTS) > .local/serial-tests.log 2>&1 & \
	serial=$$!; \
	$(BIN)/python -m pytest -n $(WORKERS) -m "not serial" $(addprefix --ignore=,$(SERIAL_TESTS)); workers=$$?; \
	wait $$serial; alone=$$?; \
	echo "--- the serial tests, run beside the workers:"; cat .local/serial-tests.log; \
	test $$workers -eq 0 -a $$alone -eq 0

# Everything but the browser tests and the load run: no Chromium or axe-core needed.
test-quick: $(STAMP) $(CHECKOV)
	$(BIN)/python -m pytest -n $(WORKERS) -m "not browser and not load and not serial" \
		$(addprefix --ignore=,$(SERIAL_TESTS))
	$(BIN)/python -m pytest -n 0 -m "serial and not browser and not load" $(SERIAL_TESTS)

tick: $(STAMP)
	$(BIN)/python -m infra.local.tick

# make outbox: what was sent, newest first, numbered; make outbox N=3: message 3 whole.
outbox: $(STAMP)
	$(BIN)/python -m infra.local.outbox

# make import-homes FILE=path/to/file.csv: a homes or tenancies export into make dev's register
# (docs/homes-import.md); prints the import's report.
import-homes: $(STAMP)
	$(BIN)/python -m infra.local.import_homes "$(FILE)"

# make check-policy FILE=path/to/policy.yaml: checks a landlord's policy document (each mistake
# by its path, exit 1), then shows what it decides for sample reports beside the current policy
# (infra/check_policy.py, docs/policy/README.md).
check-policy: $(STAMP)
	$(BIN)/python -m infra.check_policy "$(FILE)"

# make migrate-parties [DRY_RUN=1] [TABLE=<CasesTable name>]: cases from before parties get their
# parties (infra/migrate_parties.py), in make dev's local AWS; TABLE names a deployed one instead.
migrate-parties: $(STAMP)
	$(BIN)/python -m infra.migrate_parties $(if $(TABLE),$(TABLE),asb-local-CasesTable \
		--endpoint http://127.0.0.1:$(or $(LOCAL_AWS_PORT),4566)) $(if $(DRY_RUN),--dry-run)

# make token ROLE=officer USER=o.hughes [TEAM=yeovil] [POLICY=...]: the token is the last line
# printed (its team from the landlord's patches).
token: $(STAMP)
	@ROLE="$(ROLE)" USER_NAME="$(TOKEN_USER)" TEAM="$(TEAM)" $(BIN)/python -m infra.local.token

# make receiver PARTNER=constabulary: a partner's reference receiver, against make dev.
receiver: $(STAMP)
	$(BIN)/python -m infra.partner_receiver --partner $(or $(PARTNER),constabulary)

bench: $(STAMP)
	$(BIN)/python -m bench

# make load [REPORTS=1000 CLIENTS=20]: the load run against the whole local service.
load: $(STAMP)
	$(BIN)/python -m bench.load $(or $(REPORTS),1000) $(or $(CLIENTS),20)

screenshots: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m infra.local.screenshots

lint: $(STAMP)
	$(BIN)/ruff check shared pdf functions infra tests bench
	$(BIN)/mypy --strict shared pdf functions infra bench  # each handler its own module: [tool.mypy]
	PYTHONPATH=shared $(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) .venv-checkov node_modules .pytest_cache .mypy_cache .ruff_cache
