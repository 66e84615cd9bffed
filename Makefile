# The two commands: `make run` (set up, migrate, demo session, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test setup translations migrate demo chromium libreoffice bench reliability clean

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

test: setup chromium libreoffice
	$(VENV)/bin/pytest -q

# The reliability and security suite at full size against real servers; one line per figure,
# non-zero when a goal is missed (docs/RELIABILITY.md). `make test` runs its short sizes.
reliability: setup
	TAKT_RELIABILITY=full $(VENV)/bin/pytest -q -m reliability tests/reliability

bench: setup
	$(PY) bench/fanout.py
	$(PY) bench/stakes.py
	$(PY) bench/exports.py

clean:
	rm -rf $(VENV) instance/takt.db
