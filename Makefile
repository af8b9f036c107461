# `make run` serves the API on the local emulator; `make test` runs every check. Both set up what they need.
SHELL := /bin/bash

# Lambda's runtime is python3.12, and Chalice takes the runtime from the Python it runs under.
# (A pyenv shim can exist and still fail, so each candidate must actually run.)
PYTHON ?= $(or $(shell for p in python3.12 $(HOME)/.pyenv/versions/3.12*/bin/python3.12; do \
	"$$p" -c pass >/dev/null 2>&1 && { command -v "$$p"; break; }; done),python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint bench package clean chromium

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

test: lint chromium
	$(BIN)/pytest

# tests/browser drive Debian's Chromium: Playwright's own browser download cannot reach its host here.
chromium:
	@command -v chromium >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

bench: $(INSTALLED)
	$(BIN)/python -m bench

# The CloudFormation (SAM) template and deployment zip for a stage, in build/<stage>/ (README, "Deploy").
STAGE ?= prod
PACKAGE_DIR ?= build/$(STAGE)
# Chalice imports app.py, which picks the staff authorizer by STAFF_USER_POOL_ARN: any ARN selects Cognito,
# and infra/resources.yaml swaps this one for the stack's own user pool. (The region only lets boto3 start.)
PACKAGING_POOL_ARN := arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_replacedbyinfra

package: $(INSTALLED)
	rm -rf $(PACKAGE_DIR)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} STAFF_USER_POOL_ARN=$(PACKAGING_POOL_ARN) \
		$(BIN)/chalice package --stage $(STAGE) --merge-template infra/resources.yaml $(PACKAGE_DIR)
	$(BIN)/cfn-lint $(PACKAGE_DIR)/sam.yaml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
