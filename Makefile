# veo3 — every target sets up what it needs (uv and .venv/) on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
# uv on PATH, else a private copy in .venv-tools/: on a PEP 668 system python3 `pip install uv` is refused,
# so scripts/bootstrap_uv.py installs it there (a venv + pip, or uv's checked wheel) without touching the system.
UV := $(shell command -v uv 2>/dev/null || echo "$(CURDIR)/.venv-tools/bin/uv")
export UV
RUN := $(UV) run --frozen
# uv trusts the system's certificate store, as pip and curl do, not only the roots it bundles: a company's
# TLS-intercepting proxy CA usually lives there alone (SSL_CERT_FILE unset). UV_NATIVE_TLS is the name uv
# read before UV_SYSTEM_CERTS (setting both keeps newer uv quiet); a value set in the environment wins.
export UV_SYSTEM_CERTS ?= true
export UV_NATIVE_TLS ?= true
SRC := wrapper tests scripts benchmarks

.PHONY: spec spec-sync docs fault-matrix help install generate check-generated lint test test-deep demo mock conformance bench spec-diff spec-gate test-resolutions

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

install:  ## Create .venv/ from uv.lock (installs uv into .venv-tools/ first if missing; idempotent)
	@[ -x "$(UV)" ] || python3 scripts/bootstrap_uv.py .venv-tools
	@$(UV) sync --frozen --quiet

generate: install  ## Regenerate generated/veo3_api from openapi/veo3-api.json
	bash scripts/generate.sh

# VEO3: the command that runs `veo3` (tests point it at a copy's interpreter, as OPC for the generator).
VEO3 ?= $(RUN) veo3
export VEO3
spec: install  ## Build openapi/veo3-api.json from openapi/upstream/ (kie's pages) + openapi/overlay.yaml
	$(VEO3) spec build

spec-sync: install  ## Refresh openapi/upstream/ from kie's docs (DOCS_URL= a mirror), rebuild the spec, report
	$(VEO3) spec sync $(if $(DOCS_URL),--docs-url '$(DOCS_URL)')

check-generated: install  ## Fail with a diff when generated/ or the sync client differs from what its generator writes
	bash scripts/check_generated.sh
	@# The blocking client is written from the asyncio one (scripts/unasync.py): a hand edit of it fails here.
	$(RUN) python scripts/unasync.py --check

lint: install  ## Validate the spec and its examples; ruff and mypy
	$(RUN) openapi-spec-validator openapi/veo3-api.json openapi/veo3-mock-control.json
	$(RUN) python scripts/lint_spec.py
	@# The weekly sync workflow, against the GitHub workflow schema check-jsonschema ships (offline).
	$(RUN) check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(RUN) ruff check $(wildcard $(SRC))
	$(RUN) ruff format --check $(wildcard $(SRC))
	$(RUN) mypy

test: lint check-generated spec-gate docs  ## lint + check-generated + spec-gate + docs + the whole pytest suite (quick hypothesis profile)
	$(RUN) pytest -n 2

test-resolutions: install  ## The suite on the lowest and the highest versions pyproject.toml allows; pip install . beside httpx 0.29
	bash scripts/resolution_suite.sh lowest-direct -n 2
	bash scripts/resolution_suite.sh highest -n 2
	bash scripts/pip_install_check.sh 0.29.0

test-deep: install  ## The suite with the thorough hypothesis profile
	HYPOTHESIS_PROFILE=deep $(RUN) pytest -n 2

demo: install  ## The main job on the embedded simulator: generate, wait, extend twice, 1080p, download
	$(RUN) veo3 demo --out out/demo

mock: install  ## Serve the embedded simulator on port 8787 (key: KIE_API_KEY, else a new one it prints)
	$(RUN) veo3 mock --port 8787

conformance: install  ## Run the contract suite against BASE_URL (default: the embedded simulator)
	@mkdir -p out
	@# The key travels in the environment, never on a command line or in make's echo; the report redacts it.
	@$(if $(API_KEY),KIE_API_KEY='$(API_KEY)') $(RUN) veo3 conformance $(if $(BASE_URL),--base-url '$(BASE_URL)') \
		--max-examples $(or $(MAX_EXAMPLES),25) --report out/conformance-report.md; \
		code=$$?; echo "report: out/conformance-report.md (exit $$code)"; exit $$code

fault-matrix: install  ## The client under every simulator fault, written to FAULT_MATRIX.md (about a minute)
	$(RUN) python scripts/fault_matrix.py FAULT_MATRIX.md

bench: install  ## Benchmarks, written to BENCHMARKS.md
	$(RUN) python -m benchmarks.run --output BENCHMARKS.md

spec-diff: install  ## API changes, each with its rule id: OLD= (default: the spec at HEAD) NEW= (default: the working copy) ARGS="--format markdown"
	@OLD='$(OLD)' NEW='$(NEW)' bash scripts/spec_diff.sh diff $(ARGS)

spec-gate: install  ## Fail on breaking changes since the release baseline (openapi/spec-baseline) not accepted in openapi/spec-diff-ignore.json
	@bash scripts/spec_diff.sh gate $(ARGS)

docs: install  ## Build the docs site into site/ strictly (a broken link or API reference fails); offline
	@# NO_MKDOCS_2_WARNING: Material's banner about its successor, printed on every build, is not a problem here.
	NO_MKDOCS_2_WARNING=1 $(RUN) mkdocs build --strict --quiet
