# Two entry points: `make demo` (set up, run the MACIP example) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OPA_BINDINGS := opa-golib-python-bindings==0.4.4
PY_DIRS := macip_gov tests bench stubs scripts

.PHONY: demo test bench clean

$(BIN)/macip-gov: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	# OPA's engine: metadata says Python >= 3.14, the wheel works on 3.11+.
	$(BIN)/pip install -q --no-deps --ignore-requires-python $(OPA_BINDINGS)
	touch $@

demo: $(BIN)/macip-gov
	./scripts/demo.sh

# Formatting and strict typing first (seconds), then the suite (ruff check runs inside it).
test: $(BIN)/macip-gov
	$(BIN)/ruff format --check --no-cache $(PY_DIRS)
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(BIN)/macip-gov
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist out .macip
