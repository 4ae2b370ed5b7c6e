VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PYTHON ?= python3
PORT ?= 5000

.PHONY: install run demo test bench lint format

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# Browser assets (bpmn-js) come from npm and are served from node_modules as is.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "make: npm not found; install Node.js and npm (e.g. apt-get install nodejs npm) to fetch the diagram viewer (bpmn-js)" >&2; \
		exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

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
	$(BIN)/python -m bench.manager_figures

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
