# Quiver's entry points. `make run` and `make test` set up whatever is missing first.
, := ,
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

BUILD_DIR ?= build
RELEASE_DIR := $(BUILD_DIR)/release
ASAN_DIR := $(BUILD_DIR)/asan
TSAN_DIR := $(BUILD_DIR)/tsan
PYTHON := .venv/bin/python
PYTEST := $(PYTHON) -m pytest -q -p no:cacheprovider
CMAKE_COMMON := -G Ninja -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
CXX_SOURCES = $(shell find server/src server/tests server/bench -name '*.cc' -o -name '*.cpp' -o -name '*.h' 2>/dev/null)

QUIVER_HOST ?= 127.0.0.1
QUIVER_PORT ?= 8080
QUIVER_DATA_DIR ?= data
QUIVER_DEMO_ROWS ?= 10000000

.PHONY: help setup setup-bench configure-release build build-server build-web run test lint format test-cpp test-integration test-clients test-bench bench bench-quick bench-ingest test-asan test-tsan clean

help:
	@echo "make run   - install what is missing, build, start quiverd on $(QUIVER_HOST):$(QUIVER_PORT)"
	@echo "make test  - install what is missing, build, run every test and linter"
	@echo "make format, make lint, make clean"

setup:
	@scripts/setup

# $(call configure,dir,extra cmake flags)
define configure
	@[[ -f $(1)/build.ninja ]] || cmake -S server -B $(1) $(CMAKE_COMMON) $(2) >/dev/null
endef

configure-release: setup
	$(call configure,$(RELEASE_DIR),-DCMAKE_BUILD_TYPE=RelWithDebInfo)

build: configure-release
	@cmake --build $(RELEASE_DIR)

build-server: configure-release
	@cmake --build $(RELEASE_DIR) --target quiverd

# Each client owns its folder: clients/<name>/scripts/{setup,build,test} (called when present).
CLIENT_SCRIPT = for dir in clients/*/; do script="$${dir}scripts/$(1)"; [[ ! -x "$$script" ]] || "$$script"; done

build-web: setup
	@[[ ! -x clients/web/scripts/build ]] || clients/web/scripts/build

run: build-server build-web
	@mkdir -p $(QUIVER_DATA_DIR)
	@echo "quiverd on http://$(QUIVER_HOST):$(QUIVER_PORT) with data in $(QUIVER_DATA_DIR)/ (Ctrl-C stops it)"
	@QUIVER_HOST=$(QUIVER_HOST) QUIVER_PORT=$(QUIVER_PORT) QUIVER_DATA_DIR=$(QUIVER_DATA_DIR) \
	  QUIVER_DEMO_ROWS=$(QUIVER_DEMO_ROWS) QUIVER_WEB_ROOT=$(CURDIR)/clients/web/dist \
	  $(RELEASE_DIR)/src/quiverd

test: build lint test-cpp test-integration test-clients test-bench test-asan test-tsan
	@echo "make test: all suites passed"

lint: setup build
	@clang-format --dry-run --Werror $(CXX_SOURCES)
	@echo "clang-format: clean"
	@find server/src server/tests -name '*.cc' -o -name '*.cpp' | \
	  xargs -P2 -n4 clang-tidy -p $(RELEASE_DIR) --quiet 2>&1 | \
	  { grep -E ' (warning|error): ' || true; } | tee $(BUILD_DIR)/clang-tidy.log
	@test ! -s $(BUILD_DIR)/clang-tidy.log && echo "clang-tidy: clean"
	@$(PYTHON) -m ruff check server/tests/integration bench
	@$(PYTHON) -m ruff format --check server/tests/integration bench

format: setup
	@clang-format -i $(CXX_SOURCES)
	@$(PYTHON) -m ruff format server/tests/integration bench

test-cpp: build
	@cd $(RELEASE_DIR) && ctest --output-on-failure -j2

test-integration: build
	@QUIVERD=$(RELEASE_DIR)/src/quiverd $(PYTEST) server/tests/integration

# Every client's linters and tests, against the release quiverd.
test-clients: build build-web
	@export QUIVERD=$(CURDIR)/$(RELEASE_DIR)/src/quiverd; $(call CLIENT_SCRIPT,test)

# The benchmark peer (FastAPI + Polars) and data generator, in their own venv.
setup-bench:
	@scripts/setup-bench

test-bench: build-server setup-bench
	@.venv-bench/bin/python -m mypy --strict bench
	@.venv-bench/bin/python -m pytest -q -p no:cacheprovider bench/tests

# Quiver against the FastAPI + Polars reference, side by side (bench/RESULTS.md).
bench: build-server build-web setup-bench
	@.venv-bench/bin/python -m bench.run $(BENCH_ARGS)
	@clients/web/scripts/bench >bench/results/web-grid.json
	@echo "web grid (first 1,000 rows painted, scroll to row 1,000,000): bench/results/web-grid.json"

bench-quick: build-server setup-bench
	@.venv-bench/bin/python -m bench.run --quick $(BENCH_ARGS)

bench-ingest: build-server setup-bench
	@.venv-bench/bin/python -m bench.ingest --rows $${ROWS:-10000000}

# AddressSanitizer + UndefinedBehaviorSanitizer: unit tests and the live-server tests.
test-asan: setup
	$(call configure,$(ASAN_DIR),-DCMAKE_BUILD_TYPE=Debug -DQUIVER_SANITIZE=address$(,)undefined)
	@cmake --build $(ASAN_DIR)
	@cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j2
	@ASAN_OPTIONS=detect_leaks=1 QUIVER_TEST_ROWS=100000 QUIVERD=$(ASAN_DIR)/src/quiverd $(PYTEST) server/tests/integration

# ThreadSanitizer on the server's concurrency: the live-server tests.
test-tsan: setup
	$(call configure,$(TSAN_DIR),-DCMAKE_BUILD_TYPE=Debug -DQUIVER_SANITIZE=thread)
	@cmake --build $(TSAN_DIR) --target quiverd
	@ARROW_DEFAULT_MEMORY_POOL=system \
	  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/server/tsan.supp" \
	  QUIVER_TEST_ROWS=100000 QUIVERD=$(TSAN_DIR)/src/quiverd $(PYTEST) server/tests/integration

clean:
	rm -rf $(BUILD_DIR)
