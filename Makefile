# Entry points: `make demo` (set up, run the MACIP example), `make serve` (the review app on
# the same example) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OPA_BINDINGS := opa-golib-python-bindings==0.4.4
PY_DIRS := macip_gov tests bench stubs scripts

.PHONY: demo serve test bench clean postgres-server pdf-libraries browser

$(BIN)/macip-gov: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	# OPA's engine: metadata says Python >= 3.14, the wheel works on 3.11+.
	$(BIN)/pip install -q --no-deps --ignore-requires-python $(OPA_BINDINGS)
	touch $@

demo: $(BIN)/macip-gov pdf-libraries browser
	./scripts/demo.sh

# The review app on the MACIP example (this folder's macip.toml) at http://127.0.0.1:8000:
# scripts/serve-demo.sh adds a demo user of each role to the workspace's users file when
# missing (their passwords are printed once, when made), then runs `macip-gov serve`.
serve: $(BIN)/macip-gov pdf-libraries browser
	./scripts/serve-demo.sh

# The browser tests (tests/browser/) and scripts/screenshots.py drive Debian's chromium through
# chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver), installed here only when missing
# and apt-get can run; otherwise those tests are skipped, each saying why.
browser:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/bin/chromedriver ] || missing="$$missing chromium-driver"; \
	if [ -z "$$missing" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing$$missing for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	else \
		echo "no$$missing and no apt-get as root: the browser tests will be skipped" >&2; \
	fi

# PDF output (WeasyPrint) needs Pango and a font that fontconfig finds: Debian's libpango-1.0-0,
# libpangoft2-1.0-0 and fonts-dejavu-core, installed here only when missing and apt-get can run;
# otherwise one line names the packages (macip-gov doctor says the same).
pdf-libraries:
	@missing=""; \
	libs="$$( (ldconfig -p || /sbin/ldconfig -p) 2>/dev/null)"; \
	echo "$$libs" | grep -q 'libpango-1.0.so.0' || missing="$$missing libpango-1.0-0"; \
	echo "$$libs" | grep -q 'libpangoft2-1.0.so.0' || missing="$$missing libpangoft2-1.0-0"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || fc-list 2>/dev/null | grep -qi sans || missing="$$missing fonts-dejavu-core"; \
	if [ -z "$$missing" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing$$missing for PDF output"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	else \
		echo "PDF output needs Debian's$$missing: apt-get install$$missing" >&2; \
	fi

# The decision log and PIA store tests run against a real PostgreSQL server that the
# suite starts in a temporary folder (tests/pg_cluster.py). Its binaries come from
# Debian's postgresql package, installed here only when missing and apt-get can run.
postgres-server:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing PostgreSQL's server (Debian's postgresql) for the store tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else \
		echo "no PostgreSQL server and no apt-get as root: the PostgreSQL tests will be skipped" >&2; \
	fi

# Formatting and strict typing first (seconds), then the suite (ruff check runs inside it).
test: $(BIN)/macip-gov postgres-server pdf-libraries browser
	$(BIN)/ruff format --check --no-cache $(PY_DIRS)
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(BIN)/macip-gov postgres-server pdf-libraries
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist out .macip
