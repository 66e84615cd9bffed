# The two commands: `make run` (set up, migrate, demo session, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test setup translations migrate demo chromium bench clean

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

test: setup chromium
	$(VENV)/bin/pytest -q

bench: setup
	$(PY) bench/fanout.py
	$(PY) bench/stakes.py

clean:
	rm -rf $(VENV) instance/takt.db
