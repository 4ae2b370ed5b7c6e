VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTHON ?= python3
PORT ?= 5000

.PHONY: install run demo test bench lint format

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/flask --app app demo users
	@$(BIN)/flask --app app demo hint --port $(PORT)
	$(BIN)/flask --app app run --port $(PORT)

demo: install
	$(BIN)/flask --app app demo cases

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python -m bench.engineering_path
	$(BIN)/python -m bench.worklist

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
