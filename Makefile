# Breachdesk: `make run` and `make test` are the only two commands a new machine needs.
# Both install what is missing (Debian packages, npm packages, tauri-driver), then build.

SHELL := /bin/bash
.DEFAULT_GOAL := run

# Build: Tauri 2 on WebKitGTK 4.1. Test: headless display, WebDriver, a real Secret Service, PDF tools.
DEB_BUILD := build-essential pkg-config file perl make libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev \
             libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev \
             libxdo-dev libdbus-1-dev
DEB_TEST  := xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring libsecret-tools fonts-dejavu-core \
             poppler-utils qpdf imagemagick python3-icalendar python3-openpyxl notification-daemon \
             python3-aiosmtpd openssl
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)
APP := target/debug/breachdesk-app

.PHONY: run test lint deps deps-test toolchain ui app cli unit e2e e2e-big bindings bench fuzz redteam clean

toolchain:
	@command -v cargo >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs), then re-run make." >&2; exit 1; }
	@command -v npm >/dev/null || { echo "Installing Node.js and npm from Debian…"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }

deps: toolchain
	@missing=$$(for p in $(DEB_BUILD); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
	  echo "Installing npm packages (npm ci)…"; cd ui && npm ci --no-audit --no-fund; fi

deps-test: deps
	@missing=$$(for p in $(DEB_TEST); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	@command -v tauri-driver >/dev/null || { echo "Installing tauri-driver…"; cargo install tauri-driver --version '^2' --locked; }

ui: deps
	cd ui && npm run build

app: ui
	cargo build -p breachdesk-app

cli: deps
	cargo build -p breachdesk-cli

## make run: install what is missing, build, and launch the desktop app on the default data directory.
run: app
	./$(APP)

## make test: install what is missing and run every test: unit, integration (real SQLCipher, a real
## Secret Service in a private D-Bus session) and the GUI end-to-end test under Xvfb.
test: deps-test ui lint
	cd ui && npm test
	./scripts/test-session.sh cargo test --workspace --exclude breachdesk-e2e --exclude breachdesk-app
	$(MAKE) e2e

## make lint: the house rules, run by make test: rustfmt (rustfmt.toml), clippy with every warning an
## error, and ESLint for the window (features reach each other only through their index).
lint: deps ui
	@cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npm run lint

e2e: deps-test app cli
	xvfb-run -a -s "-screen 0 1280x800x24" ./scripts/test-session.sh \
	  env BREACHDESK_APP="$(CURDIR)/$(APP)" cargo test -p breachdesk-e2e --test e2e

## make e2e-big: the real app on a list of $(ROWS) people (default 1,000,000) imported by the release
## CLI: times to draw the table's first rows, a jump to the middle and the end, and a new sort.
e2e-big: deps-test app
	cargo build --release -p breachdesk-cli
	xvfb-run -a -s "-screen 0 1280x800x24" ./scripts/test-session.sh \
	  env BREACHDESK_APP="$(CURDIR)/$(APP)" BREACHDESK_CLI="$(CURDIR)/target/release/breachdesk" BREACHDESK_E2E_ROWS=$(or $(ROWS),1000000) \
	  cargo test -p breachdesk-e2e --test e2e

## make bench: import of 1,000,000 generated rows against a bare SQLCipher baseline, counts and search
## times; then 100,000 one-page letters merged into print files against the plain printpdf loop.
bench: deps
	cargo run --release -p breachdesk-cli -- bench import --rows $(or $(ROWS),1000000)
	cargo run --release -p breachdesk-cli -- bench letters --rows $(or $(LETTERS),100000)

## make fuzz: the parser fuzzers (CSV, XLSX, facts JSON, rule files, timestamps) at length, release
## build, from a random seed it prints: CASES per target (default 20,000); SEED=N replays a run.
fuzz: deps-test
	seed=$${SEED:-$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}; echo "fuzz seed $$seed (replay: make fuzz SEED=$$seed)"; \
	./scripts/test-session.sh env BREACHDESK_FUZZ_CASES=$(or $(CASES),20000) BREACHDESK_FUZZ_SEED=$$seed \
	  cargo test --release -p breachdesk-cli --test fuzz -- --nocapture --test-threads 1

## make redteam: issue 13's failure classes tried against the release CLI (tools/redteam.py; QUICK=1
## for a short run): a table of tries, passed and failed per area, and the hostile workbooks' figures.
redteam: deps
	cargo build --release -p breachdesk-cli
	python3 tools/redteam.py target/release/breachdesk $(if $(QUICK),--quick)

## make bindings: regenerate ui/src/lib/ipc/bindings.ts from the Rust types.
bindings:
	UPDATE_BINDINGS=1 cargo test -p breachdesk-core --lib bindings

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
