#!/usr/bin/env bash
# Installs what Castline's build needs, and only what is missing, so that it
# is quick to run before every build.
#
#   scripts/setup.sh            Rust wasm target, clippy, rustfmt, wasm-bindgen-cli,
#                               and the npm packages of package-lock.json (wasm-opt)
#   scripts/setup.sh --browser  also Chromium + ChromeDriver + Firefox ESR, and WebKitGTK's
#                               WebKitWebDriver + MiniBrowser with Xvfb (Debian)
#
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly,
# or the generated JavaScript glue does not fit the module; so the version is
# read from the lock file rather than written down a second time here.
set -euo pipefail

usage() {
    echo "usage: scripts/setup.sh [--browser]"
    echo "  --browser  also install Chromium, ChromeDriver, Firefox ESR, WebKitWebDriver and Xvfb (for tests)"
}

browser=0
for arg in "$@"; do
    case "$arg" in
        --browser) browser=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            echo "setup: unknown argument '$arg'" >&2
            usage >&2
            exit 2
            ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'setup: %s\n' "$*"; }
die() {
    printf 'setup: error: %s\n' "$*" >&2
    exit 1
}

# `cargo install` puts binaries here; a fresh shell may not have it on PATH.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

command -v rustup >/dev/null || die "rustup not found; install the Rust toolchain first (https://rustup.rs)"
command -v cargo >/dev/null || die "cargo not found"

# --- Rust target and components -------------------------------------------
# Output is captured before grepping: `grep -q` exiting early would make the
# producer fail with SIGPIPE, which pipefail would report as "not installed".
targets=$(rustup target list --installed)
if ! grep -qx 'wasm32-unknown-unknown' <<<"$targets"; then
    log "adding Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

components=$(rustup component list --installed)
for component in clippy rustfmt; do
    if ! grep -q "^${component}\(-\|$\)" <<<"$components"; then
        log "adding Rust component $component"
        rustup component add "$component"
    fi
done

# --- wasm-bindgen-cli --------------------------------------------------------
[[ -f Cargo.lock ]] || die "Cargo.lock is missing; it pins the wasm-bindgen version"
wbg_version=$(awk '
    /^\[\[package\]\]/ { name = "" }
    /^name = / { name = $3 }
    /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)
[[ -n "$wbg_version" ]] || die "no wasm-bindgen package in Cargo.lock"

installed=""
if command -v wasm-bindgen >/dev/null && command -v wasm-bindgen-test-runner >/dev/null; then
    installed=$(wasm-bindgen --version 2>/dev/null || true)
fi
if [[ "$installed" != "wasm-bindgen $wbg_version" ]]; then
    log "installing wasm-bindgen-cli $wbg_version (takes a few minutes)${installed:+; found '$installed'}"
    # Not --locked: with it the install fails on this toolchain.
    cargo install wasm-bindgen-cli --version "=$wbg_version"
fi

# --- A font for PNG pictures -------------------------------------------------
# `castline render --out x.png` (and so `make dist` and tests/render.rs) draws text with
# DejaVu Sans, the font its text widths are modelled on. Without apt-get it is only a warning:
# SVG needs no font, and `--font FILE.ttf` names another one.
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [[ ! -f "$font" ]]; then
    if command -v apt-get >/dev/null; then
        log "installing fonts-dejavu-core from Debian (text in PNG pictures)"
        sudo=()
        if ((EUID != 0)); then
            command -v sudo >/dev/null || die "not root and no sudo: cannot apt-get install fonts-dejavu-core"
            sudo=(sudo)
        fi
        "${sudo[@]}" apt-get update
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-dejavu-core
    else
        log "warning: $font is missing and there is no apt-get; PNG pictures need --font FILE.ttf"
    fi
fi

# --- npm packages --------------------------------------------------------------
# `make wasm` shrinks the wasm with wasm-opt (npm's binaryen, pinned in package-lock.json), so
# every build needs it: without it `make run` would serve a page bigger than the one that
# ships. The whole lock rather than binaryen alone: `npm ci` installs exactly the locked
# versions, checked against their hashes, into the one node_modules the tests, `make dist`
# (terser, esbuild) and the benchmarks share (`npm install binaryen@…` would resolve the whole
# tree anyway, and a second folder would need its own pin); none of these packages needs an
# install script (esbuild declares one that only checks the binary its platform's package
# brings) or downloads a browser.
npm_ready="npm packages"
if [[ -f package.json ]]; then
    if ! command -v npm >/dev/null; then
        # The build itself works without: only the tests cannot.
        ((browser == 0)) || die "npm not found; install Node.js 20 and npm"
        log "warning: npm not found (install Node.js 20 and npm): make wasm will leave the wasm unoptimised"
        npm_ready="no npm packages"
    elif [[ ! -f package-lock.json ]]; then
        log "warning: package.json has no package-lock.json; running npm install"
        npm install --no-audit --no-fund
    elif [[ package-lock.json -nt node_modules/.package-lock.json || ! -x node_modules/.bin/wasm-opt ]]; then
        # True also when node_modules/.package-lock.json does not exist.
        log "installing npm packages (npm ci)"
        npm ci --no-audit --no-fund
    fi
fi

# --- Browsers (tests only) ----------------------------------------------------
if ((browser)); then
    # Chromium for every browser test; Firefox (ESR) for the cross-browser ones
    # (tests/e2e/firefox.test.mjs, driven over WebDriver BiDi by puppeteer-core); WebKitGTK,
    # Safari's engine, for tests/webkit/ (WebKitWebDriver driving its MiniBrowser, which
    # needs an X display: xvfb-run).
    missing=()
    [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || missing+=(chromium chromium-driver)
    [[ -x /usr/bin/firefox-esr ]] || missing+=(firefox-esr)
    [[ -x /usr/bin/WebKitWebDriver ]] || missing+=(webkit2gtk-driver)
    command -v xvfb-run >/dev/null || missing+=(xvfb)
    if ((${#missing[@]})); then
        log "installing ${missing[*]} from Debian"
        sudo=()
        if ((EUID != 0)); then
            command -v sudo >/dev/null || die "not root and no sudo: cannot apt-get install ${missing[*]}"
            sudo=(sudo)
        fi
        "${sudo[@]}" apt-get update
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
    fi
fi

if ((browser)); then
    log "ready: wasm32 target, clippy, rustfmt, wasm-bindgen $wbg_version, $npm_ready, chromium, firefox-esr, webkit2gtk-driver, xvfb"
else
    log "ready: wasm32 target, clippy, rustfmt, wasm-bindgen $wbg_version, $npm_ready"
fi
