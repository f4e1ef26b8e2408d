# Two commands for a newcomer: `make serve` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SITE_STAMP := $(VENV)/.site-installed
TEST_STAMP := $(VENV)/.test-installed
# The engine that renders the pages: mkdocs (default) or zensical.
ENGINE ?= mkdocs
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site test bench clean system-packages pdf-fonts

$(SITE_STAMP): requirements/site.txt requirements/zensical.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements/site.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements/zensical.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(TEST_STAMP): $(SITE_STAMP) requirements/test.txt package-lock.json
	$(PY) -m pip install --quiet --require-hashes -r requirements/test.txt
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

site: $(SITE_STAMP) pdf-fonts
	$(PY) -m build_tools build --engine $(ENGINE)

serve: $(SITE_STAMP) pdf-fonts
	$(PY) -m build_tools serve --engine $(ENGINE) --dev-addr 127.0.0.1:8000

# Debian packages: the PDF's fonts for every build (WeasyPrint's Pango is on the machine), chromium for the browser tests.
define apt_ensure
	@if [ -n "$(strip $(1))" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1); \
	  else echo "Missing Debian packages: $(1). Install them with: sudo apt-get install $(1)" >&2; exit 1; fi; fi
endef

pdf-fonts:
	$(call apt_ensure,$(shell fc-list 2>/dev/null | grep -qi "Liberation Sans" || echo fonts-liberation fonts-dejavu-core))

# nginx (with Debian's brotli_static module) and Apache: the deployment tests run the generated configs on them.
system-packages: pdf-fonts
	$(call apt_ensure,$(strip $(shell command -v chromium >/dev/null 2>&1 || echo chromium) \
	  $(shell test -x /usr/sbin/nginx || echo nginx) \
	  $(shell test -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so || echo libnginx-mod-http-brotli-static) \
	  $(shell test -x /usr/sbin/apache2 || echo apache2)))

# One pytest process per core (at most 4), a test file's tests together; the shared builds are made once.
test: $(TEST_STAMP) system-packages
	$(PY) -m pytest -n auto --maxprocesses 4 --dist loadfile

bench: $(TEST_STAMP) system-packages
	$(PY) -m bench

clean:
	rm -rf site .cache

# The scanner's precision/recall on its labelled corpus and its worst case, without a browser.
.PHONY: bench-scanner
bench-scanner: $(SITE_STAMP)
	$(PY) -m bench.scanner
