# The two commands: `make run` (set up, migrate, demo session, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test setup translations migrate demo chromium libreoffice nginx bench bench-all reliability clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP) translations

translations: $(STAMP)
	$(VENV)/bin/pybabel compile -d facilitation/translations --statistics

migrate: setup
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo --filled

run: demo
	$(PY) wsgi.py

# Debian's Chromium for the browser tests; skipped (the tests then skip and say why) where apt
# cannot run. Never `playwright install`: it downloads a browser of its own.
chromium:
	@if [ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/truetype/noto ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's chromium (and emoji fonts for screenshots) for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	     fonts-noto-color-emoji >/dev/null) \
	    || echo "apt could not install chromium: browser tests will skip"; \
	else echo "no /usr/bin/chromium and no apt as root: browser tests will skip"; fi

# LibreOffice (Writer, Impress) and poppler for the export tests that convert DOCX/PPTX to PDF
# and render a page to PNG; skipped (the tests then skip and say why) where apt cannot run.
libreoffice:
	@if command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing LibreOffice Writer/Impress and poppler-utils for the export tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     --no-install-recommends libreoffice-writer libreoffice-impress poppler-utils >/dev/null) \
	    || echo "apt could not install LibreOffice: the PDF export tests will skip"; \
	else echo "no LibreOffice and no apt as root: the PDF export tests will skip"; fi

# nginx for tests/reliability/test_deploy.py, which runs deploy/nginx/takt.conf in front of two
# gunicorn processes; skipped (the test then skips and says why) where apt cannot run. Only the
# binary is used: the test starts its own nginx in the foreground, the package's is left alone.
nginx:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing nginx for the deployment test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     --no-install-recommends nginx >/dev/null) \
	    || echo "apt could not install nginx: the deployment test will skip"; \
	else echo "no nginx and no apt as root: the deployment test will skip"; fi

test: setup chromium libreoffice nginx
	$(VENV)/bin/pytest -q -n 2 --dist loadfile

# The reliability and security suite at full size against real servers; one line per figure,
# non-zero when a goal is missed (docs/RELIABILITY.md). `make test` runs its short sizes.
reliability: setup
	TAKT_RELIABILITY=full $(VENV)/bin/pytest -q -m reliability tests/reliability

# The benchmark of issue 8 (bench/README.md): every scenario beside the anchors, a table and
# bench/results/<UTC time>.json, about 15 minutes; `make bench QUICK=1`: S1 and the raw anchor
# in about a minute; BENCH_ARGS passes more (e.g. BENCH_ARGS="--scenario S1,S4 --clients 200").
# `make bench-all` adds the latency sweep (docs/performance-latency.png), the staking and the
# export benchmarks.
bench: setup
	$(PY) bench/run.py $(if $(QUICK),--quick) $(BENCH_ARGS)

bench-all: bench
	$(PY) bench/sweep.py --anchors raw
	$(PY) bench/stakes.py
	$(PY) bench/exports.py

clean:
	rm -rf $(VENV) instance/takt.db
