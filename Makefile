# storefirst: every entry point installs what it needs (a virtualenv with pinned packages).
SHELL   := /bin/bash
PYTHON  ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.storefirst-installed
PYTEST_ARGS ?=
# Two workers: the Terraform checks are CPU-bound and the machines have 2 cores.
XDIST   ?= -n 2

.PHONY: help venv build plan test bench clean up bench-local

help:
	@echo "make plan   offline plan of envs/dev: what would be created (main job)"
	@echo "make test   every test: fmt, validate, plans, checkov, terraform test, unit tests"
	@echo "make build  deterministic Lambda zips in build/"
	@echo "make up     run envs/local on the embedded AWS emulator (Ctrl-C stops)"
	@echo "make bench  import time, per-record overhead and zip size of each function"

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

venv: $(STAMP)

build: venv
	$(PY) -m storefirst build

plan: build
	$(PY) -m storefirst doctor
	$(PY) -m storefirst plan envs/dev

test: build
	$(PY) -m storefirst doctor
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

bench: build
	$(PY) -m storefirst bench

up: build
	$(PY) -m storefirst doctor
	$(PY) -m storefirst up envs/local --no-build

bench-local: build
	$(PY) -m storefirst.bench_local

clean:
	rm -rf build .cache .pytest_cache
