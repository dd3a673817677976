# Two commands: `make run` serves the demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export PORT  # links in e-mails follow it (PUBLIC_URL, unless set)
export FLASK_APP := wsgi

.PHONY: run test test-fast lint setup translations extract-messages db seed benchmarks clean

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

setup: $(BIN)/activate translations

# The page checkers the tests run (axe-core, the Nu Html Checker); vnu-jar's own Java download is not needed.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

translations: $(BIN)/activate
	$(BIN)/pybabel compile -d conference/translations

extract-messages: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o conference/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i conference/translations/messages.pot -d conference/translations --no-fuzzy-matching --ignore-obsolete

db: setup
	$(BIN)/flask db upgrade

seed: db
	$(BIN)/flask seed-demo

# The mail worker runs beside the web server (pages only queue mail) and stops with it.
run: db
	@$(BIN)/flask demo-if-empty
	@$(BIN)/flask send-mail --watch & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Linters alone: ruff (style, imports, bugbear), import-linter (the layers in .importlinter), ESLint (our scripts).
lint: $(BIN)/activate node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	node_modules/.bin/eslint static/js tests eslint.config.js

# The door page's offline rules under Node (the same vectors as the server's), then the Python suite.
test: setup lint node_modules/.package-lock.json
	node --test tests/checkin/door_rules.test.js
	$(BIN)/python -m pytest

# The edit-test loop: everything but the browser and page-checker tests (marked `browser` in tests/conftest.py).
test-fast: $(BIN)/activate
	$(BIN)/python -m pytest -m "not browser"

benchmarks: setup
	@command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk  # drives benchmarks/checkin.py
	$(BIN)/python benchmarks/badges.py
	$(BIN)/python benchmarks/registration.py
	$(BIN)/python benchmarks/checkin.py

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules
