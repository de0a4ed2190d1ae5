# Castline: build, run and test entry points. `make help` lists them;
# docs/development.md explains them.

# Recipes are bash with strict mode, like the scripts they call.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c

# Tools installed by `cargo install` (wasm-bindgen) live here.
CARGO_HOME ?= $(HOME)/.cargo
export PATH := $(CARGO_HOME)/bin:$(PATH)

CARGO        ?= cargo
NODE         ?= node
WASM_BINDGEN ?= wasm-bindgen
CHROMEDRIVER ?= /usr/bin/chromedriver

WASM_TARGET := wasm32-unknown-unknown
# Where cargo puts the library: CARGO_TARGET_DIR when set, as cargo itself does.
WASM_FILE   := $(or $(CARGO_TARGET_DIR),target)/$(WASM_TARGET)/release/castline.wasm
PKG_DIR     := www/pkg
# The command line, from the same target directory; the e2e tests and screenshots are told
# where it is (CASTLINE_BIN) unless the caller already did.
CLI         := $(or $(CARGO_TARGET_DIR),target)/debug/castline
PORT        ?= 8000

.PHONY: help setup setup-test wasm cli build run lint install \
        test test-native test-wasm test-e2e test-webkit screenshot bench fuzz dist clean

help:
	@echo "make setup       install the build tools and npm packages when missing (scripts/setup.sh)"
	@echo "make setup-test  also Chromium, ChromeDriver, Firefox ESR, WebKitWebDriver and Xvfb (--browser)"
	@echo "make build       setup + wasm (into $(PKG_DIR)) + cli ($(CLI))"
	@echo "make install     the castline binary with the viewer built in, into $(INSTALL_ROOT)/bin"
	@echo "make run         build, then serve the page on http://127.0.0.1:$(PORT)/ (PORT=...)"
	@echo "make lint        rustfmt check and clippy, native and wasm32"
	@echo "make test        everything CI runs: lint, Rust tests (native and in Chromium), e2e, WebKit"
	@echo "make test-webkit the reader's main paths in WebKit (Safari's engine; after make build)"
	@echo "make screenshot  build, then node scripts/screenshot.mjs"
	@echo "make dist        build, then a static folder for any host in $(DIST_DIR)/ (BASE_URL=...)"
	@echo "make bench       benchmarks"
	@echo "make fuzz        each loader's fuzz target for FUZZ_SECONDS (30) s; not in make test"
	@echo "make clean       remove build output"

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --browser

# Two builds of the one crate (docs/performance.md): without the `full` feature as
# www/pkg/castline.js + castline_bg.wasm, the page's first download (clean Castline JSON only),
# and with it as castline_full.js + castline_full_bg.wasm, which www/castline.js loads only
# when the data is another format or has problems to explain.
# wasm-opt (npm package binaryen, installed by `make setup`) shrinks each module further
# when present; the features listed are those rustc enables for wasm32 by default.
# --low-memory-unused lets it fold constant offsets into loads and stores (1 KB gzip of the
# first wasm): rustc puts the stack first, so the low 1 KB is only reached by a stack 1 KB
# short of overflowing, and a fold changes an address only where the addition would wrap.
WASM_OPT_FLAGS := -Oz --converge --low-memory-unused --strip-producers --strip-target-features \
                  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
                  --enable-mutable-globals --enable-reference-types --enable-multivalue

wasm:
	$(CARGO) build --lib --release --target $(WASM_TARGET) --no-default-features
	$(WASM_BINDGEN) --target web --no-typescript --out-dir $(PKG_DIR) $(WASM_FILE)
	$(CARGO) build --lib --release --target $(WASM_TARGET)
	$(WASM_BINDGEN) --target web --no-typescript --out-dir $(PKG_DIR) --out-name castline_full $(WASM_FILE)
	if [[ -x node_modules/.bin/wasm-opt ]]; then \
	  for wasm in $(PKG_DIR)/castline_bg.wasm $(PKG_DIR)/castline_full_bg.wasm; do \
	    node_modules/.bin/wasm-opt $(WASM_OPT_FLAGS) -o $$wasm $$wasm; \
	  done; \
	else echo "wasm-opt not found (make setup installs it): $(PKG_DIR)/*.wasm left unoptimised"; fi

# With the viewer built in (build.rs embeds www/, so `make wasm` comes first, as `make build`
# does): the e2e tests run a copy of it outside the checkout.
cli:
	$(CARGO) build --bin castline --features embedded-viewer

# The `castline` binary with the viewer inside, into $(INSTALL_ROOT)/bin: it publishes and
# serves on any machine, with no checkout, Node or wasm-bindgen (docs/publishing.md).
INSTALL_ROOT ?= $(CARGO_HOME)
# The viewer as `make dist` ships it (each page's scripts bundled, all minified), which
# `make install` builds into the binary.
VIEWER_DIR   ?= target/viewer

install: setup
	$(MAKE) --no-print-directory wasm
	if $(NODE) scripts/dist.mjs --viewer-only --out $(VIEWER_DIR); then \
	  CASTLINE_VIEWER=$(abspath $(VIEWER_DIR)) $(CARGO) install --path . --locked --features embedded-viewer --root $(INSTALL_ROOT); \
	else \
	  echo "install: the viewer could not be staged as make dist ships it; building www/ in as it is"; \
	  $(CARGO) install --path . --locked --features embedded-viewer --root $(INSTALL_ROOT); \
	fi

build: setup
	$(MAKE) --no-print-directory wasm
	$(MAKE) --no-print-directory cli

run: build
	$(CLI) serve --port $(PORT)

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --all-targets --target $(WASM_TARGET) -- -D warnings
	$(CARGO) clippy --all-targets --no-default-features -- -D warnings
	$(CARGO) clippy --all-targets --no-default-features --target $(WASM_TARGET) -- -D warnings

# Steps run in this order, one after the other even under `make -j`; the
# end-to-end tests need www/pkg and the CLI, so they come after `build`.
test:
	$(MAKE) --no-print-directory setup-test
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-native
	$(MAKE) --no-print-directory test-wasm
	$(MAKE) --no-print-directory build
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory test-webkit

test-native:
	$(CARGO) test
	# The first download's own JSON reader (built without `full`); the crate's other tests
	# assume the full build's diagnostics.
	$(CARGO) test --no-default-features --lib -- read::json read::clean read::parts

# wasm-bindgen-test-runner (see .cargo/config.toml) drives Chromium through
# ChromeDriver, with the browser options in webdriver.json.
test-wasm:
	CHROMEDRIVER=$(CHROMEDRIVER) $(CARGO) test --target $(WASM_TARGET)

# Spawns $(CLI) itself; run `make build` first (as `make test` does).
test-e2e:
	CASTLINE_BIN="$${CASTLINE_BIN:-$(abspath $(CLI))}" $(NODE) --test tests/e2e/

# WebKit, Safari's engine: WebKitGTK's MiniBrowser driven by WebKitWebDriver (classic WebDriver)
# under a private Xvfb, both from `make setup-test`. Its own folder, so that test-e2e does not
# run it too. Needs `make build` first, like test-e2e.
test-webkit:
	CASTLINE_BIN="$${CASTLINE_BIN:-$(abspath $(CLI))}" $(NODE) --test tests/webkit/

screenshot: build
	CASTLINE_BIN="$${CASTLINE_BIN:-$(abspath $(CLI))}" $(NODE) scripts/screenshot.mjs

# Not part of `make test`: timings are never asserted, only reported (docs/performance.md).
# BENCH_SIZES=W1,W2 limits the workloads; BENCH_PARTS=layout,size the parts; the lighthouse
# part measures a `make dist` folder (so it needs the CLI) beside the peers in bench/peers/.
bench:
	$(MAKE) --no-print-directory setup-test
	$(MAKE) --no-print-directory wasm
	$(MAKE) --no-print-directory cli
	CASTLINE_BIN="$${CASTLINE_BIN:-$(abspath $(CLI))}" $(NODE) bench/run.mjs

# One cargo-fuzz target per loader (fuzz/fuzz_targets/), each run for FUZZ_SECONDS, seeded
# from the repository's data and nasty-input corpus. Not part of `make test`. cargo-fuzz
# needs nightly compiler flags: the nightly toolchain when rustup has one, otherwise the
# stable compiler with RUSTC_BOOTSTRAP=1 (see docs/development.md).
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := json csv timelinejs_csv timelinejs_json
FUZZ_SHARED  := ../shared/fixtures/timelinejs

fuzz:
	@if ! command -v cargo-fuzz >/dev/null; then \
	    echo "make fuzz: installing cargo-fuzz from crates.io"; \
	    $(CARGO) install cargo-fuzz --locked || { \
	        echo "make fuzz: cannot install cargo-fuzz (is crates.io reachable?); nothing was fuzzed"; \
	        exit 1; }; \
	fi
	@if rustup run nightly rustc --version >/dev/null 2>&1; then \
	    toolchain=(+nightly); bootstrap=(); \
	else \
	    echo "make fuzz: no nightly toolchain; using the stable compiler with RUSTC_BOOTSTRAP=1"; \
	    toolchain=(); bootstrap=(RUSTC_BOOTSTRAP=1); \
	fi; \
	seed() { \
	    local dir=fuzz/corpus/$$1; shift; mkdir -p "$$dir"; \
	    for f in "$$@"; do if [ -f "$$f" ]; then cp "$$f" "$$dir/$${f//\//_}"; fi; done; \
	}; \
	if [ ! -d $(FUZZ_SHARED) ]; then \
	    echo "make fuzz: $(FUZZ_SHARED) is absent (a lone clone): seeded without the TimelineJS project's samples"; \
	fi; \
	seed json data/*.json tests/nasty/*.json; \
	seed csv data/templates/*.csv data/examples/harbour/*.csv tests/nasty/*.csv; \
	seed timelinejs_csv data/examples/*.csv tests/nasty/*timeline*.csv tests/fixtures/timelinejs/*.csv $(FUZZ_SHARED)/*.csv; \
	seed timelinejs_json data/examples/*.json tests/nasty/*timeline*.json tests/fixtures/timelinejs/*.json $(FUZZ_SHARED)/*.json; \
	for target in $(FUZZ_TARGETS); do \
	    echo "make fuzz: $$target for $(FUZZ_SECONDS) s"; \
	    if ! env "$${bootstrap[@]}" $(CARGO) "$${toolchain[@]}" fuzz run "$$target" -- \
	            -max_total_time=$(FUZZ_SECONDS) > "fuzz/$$target.log" 2>&1; then \
	        tail -n 40 "fuzz/$$target.log"; \
	        echo "make fuzz: $$target failed (log: fuzz/$$target.log; crashing inputs: fuzz/artifacts/$$target/)."; \
	        echo "If the build failed: cargo-fuzz needs a nightly toolchain or RUSTC_BOOTSTRAP=1."; \
	        exit 1; \
	    fi; \
	    grep -E '^Done [0-9]+ runs' "fuzz/$$target.log" || true; \
	done

# A self-contained static copy of the page for any static host and any sub-path: hashed
# names, precompressed .gz, the fallback pictures (docs/embedding.md). BASE_URL, the absolute
# URL the folder will be served from, adds absolute og:image tags and an oEmbed file.
DIST_DIR ?= dist
BASE_URL ?=

dist: build
	$(NODE) scripts/dist.mjs --out $(DIST_DIR) --castline $(CLI) $(if $(BASE_URL),--base-url $(BASE_URL))

clean:
	$(CARGO) clean
	rm -rf $(PKG_DIR) $(DIST_DIR)
