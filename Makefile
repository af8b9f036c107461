# `make run` serves the API on the local emulator; `make test` runs every check. Both set up what they need.
SHELL := /bin/bash

# Lambda's runtime is python3.12, and Chalice takes the runtime from the Python it runs under.
# (A pyenv shim can exist and still fail, so each candidate must actually run.)
PYTHON ?= $(or $(shell for p in python3.12 $(HOME)/.pyenv/versions/3.12*/bin/python3.12; do \
	"$$p" -c pass >/dev/null 2>&1 && { command -v "$$p"; break; }; done),python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint bench clean

$(INSTALLED): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(INSTALLED)
	$(BIN)/python -m local.run

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(INSTALLED)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
