# Cuecard. `make run` and `make test` set everything up on Debian/Ubuntu.
GO      ?= go
BIN     := bin/cuecard
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# make run LIBRARY=~/guides uses your own folder instead of the sample library.
LIBRARY ?=
RUNFLAGS := $(if $(LIBRARY),--library "$(LIBRARY)",)

.PHONY: soak big-library fuzz-short package package-windows bench-desktop bench-wine churn all deps deps-test build run test vet staticcheck fuzz bench lint-sample clean cross-windows test-windows

all: build

deps:
	@.ci/deps build

deps-test:
	@.ci/deps test

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/cuecard

# Start Cuecard on the bundled sample library (or LIBRARY): the desktop app
# in a graphical session, else index it and open the search prompt.
run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "Starting the Cuecard desktop app (tray icon; Ctrl+Alt+Space searches). Ctrl+C stops it."; \
		$(BIN) $(RUNFLAGS) app; \
	else \
		echo "No graphical session: indexing and opening the search prompt."; \
		$(BIN) $(RUNFLAGS) index && $(BIN) $(RUNFLAGS) search -i; \
	fi

# go vet, and gofmt: a file gofmt would change fails the run.
vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './dist/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change (run gofmt -w): $$unformatted" >&2; exit 1; fi
	$(GO) vet ./...

# staticcheck at a pinned version, built from the module proxy (no go.mod
# entry: its dependencies stay out of the app's build).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
staticcheck: deps-test
	$(GO) run $(STATICCHECK) ./...

test: deps-test vet staticcheck cross-windows test-windows test-windows-desktop
	$(GO) test -race -count=1 -timeout 20m ./...
	@$(MAKE) --no-print-directory fuzz-short

# The Windows build, cross-compiled with cgo (fyne's GLFW) by Debian's mingw-w64.
# It checks that the code for Windows compiles; nothing runs it here.
MINGW_CC ?= x86_64-w64-mingw32-gcc
cross-windows: deps-test
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(MINGW_CC) $(GO) build -ldflags "$(LDFLAGS)" -o bin/cuecard-windows-amd64.exe ./cmd/cuecard

# The core packages' tests compiled for Windows (no cgo), run under Wine:
# .ci/wine/exec sets its prefix up on first use (CUECARD_WINEPREFIX, else
# ~/.cache/cuecard/wine), and Wine is stopped in that prefix afterwards.
# -checklinkname=0 lets internal/winetest switch Go's file deletion to a call
# Wine 8 implements (see that package). docs/windows.md says what this
# proves and what it does not.
WINDOWS_TEST_PKGS := atomicfile bench coach config edit guide latest library link locate owner paths record report search store testlog track urlhandler win32
TEST_WINEPREFIX := $(or $(CUECARD_WINEPREFIX),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/cuecard/wine)
test-windows: deps-test
	status=0; CGO_ENABLED=0 GOOS=windows $(GO) test -count=1 -timeout 10m -ldflags=-checklinkname=0 \
		-exec "$(CURDIR)/.ci/wine/exec" $(addprefix ./internal/,$(WINDOWS_TEST_PKGS)) || status=$$?; \
	WINEPREFIX="$(TEST_WINEPREFIX)" wineserver -k 2>/dev/null; exit $$status

# Every fuzz target for a while (FUZZTIME=10m for longer). The corpora in
# testdata/fuzz are replayed by every go test run.
FUZZTIME ?= 20s
FUZZ_TARGETS := ./internal/guide:FuzzParse ./internal/guide:FuzzRule ./internal/guide:FuzzDuration \
	./internal/guide:FuzzRequiredKeys ./internal/guide:FuzzResolveLink ./internal/guide:FuzzDeadline ./internal/guide:FuzzClickTarget ./internal/library:FuzzParseGitURL ./internal/library:FuzzSettings ./internal/library:FuzzPerson ./internal/search:FuzzDecodeRecord \
	./internal/search:FuzzWordTokenizer ./internal/search:FuzzWordsField ./internal/hotkey:FuzzParse \
	./internal/report:FuzzTeamFile ./internal/report:FuzzRollup ./internal/link:FuzzParse ./internal/ui:FuzzViewer ./internal/wayland:FuzzDecode \
	./internal/doc:FuzzParseDOCX ./internal/doc:FuzzDOCXXML ./internal/doc:FuzzParseODT ./internal/doc:FuzzODTXML ./internal/doc:FuzzParseHTML \
	./internal/doc:FuzzParseLink ./internal/doc:FuzzParsePDF
# make test fuzzes the targets that need no GUI toolkit for TEST_FUZZTIME
# each (fuzzing a package of internal/ui instruments fyne: a 2.5-minute
# build).
# It counts runs rather than seconds: with a duration, Go 1.26's fuzzing
# coordinator can fail a target with a bare "context deadline exceeded" as
# the time runs out (golang/go#75804, fixed in Go 1.27), which failed a CI
# run. 30,000 runs of each take about 50 s in all here.
TEST_FUZZTIME ?= 30000x
# The whole-file .docx and .odt fuzzers inflate a zip per run (30,000 runs
# take minutes): make fuzz runs them; make test fuzzes the same parsers
# through FuzzDOCXXML and FuzzODTXML.
TEST_FUZZ_TARGETS := $(filter-out ./internal/ui:% ./internal/ui/% ./internal/doc:FuzzParseDOCX ./internal/doc:FuzzParseODT,$(FUZZ_TARGETS))
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) "$${t%%:*}"; \
	done

fuzz-short:
	@set -e; for t in $(TEST_FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} ($(TEST_FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(TEST_FUZZTIME) "$${t%%:*}"; \
	done

# Benchmarks: `cuecard bench` at 10,000 and 50,000 guides, and go test -bench.
bench: build
	$(BIN) bench --guides 10000
	$(BIN) bench --guides 50000
	$(GO) test -run '^$$' -bench . -benchtime 200x ./internal/search

# The watcher churn tests with 20,000 operations (CI runs 2,000).
churn:
	$(GO) test -count=1 -run 'WatchChurn' ./internal/library -args -churn 20000

# The soak run: the desktop app under Xvfb, openbox and a private D-Bus session
# with focus changes, library churn and searches together for SOAK (10m by
# default), then RSS, goroutines, fds and X connections compared with the
# start. `make test` runs it for 2 minutes (the -soak default).
SOAK ?= 10m
soak: deps-test
	$(GO) test -count=1 -v -run '^TestSoak$$' -timeout 60m ./cmd/cuecard -args -soak $(SOAK)

# The big-library test at the issue's 200,000 guide files (CI runs 20,000):
# indexing time, the watcher's memory and its inotify watches.
big-library: deps-test
	$(GO) test -count=1 -v -run '^TestBigLibrary$$' -timeout 60m ./cmd/cuecard -args -big 200000

# An installable bundle with the fyne tool: dist/Cuecard.tar.xz (bin, .desktop
# entry, icon and a Makefile: `sudo make install` or `make user-install`).
# FyneApp.toml at the top is the source of truth: the tool reads it from the
# main package's folder, so it is copied there for the run and removed. The
# entry also opens cuecard:// links: FyneApp.toml's ExecParams gives it %u,
# and its MimeType is added to the bundle here (the tool writes one only for
# files).
FYNE_TOOL ?= fyne.io/tools/cmd/fyne@v1.7.4
package: deps
	mkdir -p dist
	CGO_ENABLED=1 $(GO) build -trimpath -ldflags "-s -w $(LDFLAGS)" -o dist/cuecard ./cmd/cuecard
	cp FyneApp.toml cmd/cuecard/FyneApp.toml
	cd dist && $(GO) run $(FYNE_TOOL) package --os linux --src ../cmd/cuecard --exe "$(CURDIR)/dist/cuecard" \
		--icon "$(CURDIR)/resources/icon.png" --release; status=$$?; rm -f ../cmd/cuecard/FyneApp.toml; exit $$status
	rm -rf dist/pkg && mkdir dist/pkg && tar -xJf dist/Cuecard.tar.xz -C dist/pkg
	set -e; entry=$$(find dist/pkg -name 'io.github.cuecard.desktop'); [ -n "$$entry" ]; \
		sed -i '/^Exec=/a MimeType=x-scheme-handler/cuecard;' "$$entry"; grep -q '^MimeType=x-scheme-handler/cuecard;$$' "$$entry"
	tar -cJf dist/Cuecard.tar.xz -C dist/pkg $$(ls dist/pkg) && rm -rf dist/pkg
	@echo "dist/Cuecard.tar.xz: unpack it and run 'make user-install' (or 'sudo make install') inside"

# The Windows zip: dist/cuecard-windows-amd64.zip with cuecard.exe and a
# README.txt (how to run it, how to install it for all users). The fyne tool
# cross-builds the exe with mingw-w64 as a GUI program (-H=windowsgui), with
# FyneApp.toml's icon and version resource linked in (a .syso it writes in
# cmd/cuecard for the build), and leaves it there. It builds twice and drops
# the -ldflags of GOFLAGS on the second build, so VERSION reaches main
# through a file written for the run. The tool is built first: `go run`
# would build it with the mingw-w64 compiler too.
package-windows: deps-test
	@command -v zip >/dev/null || { echo "package-windows needs zip (apt-get install zip)" >&2; exit 1; }
	rm -rf dist/windows dist/cuecard-windows-amd64.zip
	mkdir -p dist/windows
	cp FyneApp.toml cmd/cuecard/FyneApp.toml
	printf 'package main\n\nfunc init() { version = "%s" }\n' "$(VERSION)" > cmd/cuecard/zz_package_version.go
	GOBIN="$(CURDIR)/dist/tools" $(GO) install $(FYNE_TOOL)
	cd cmd/cuecard && CC=$(MINGW_CC) "$(CURDIR)/dist/tools/fyne" package --os windows --icon "$(CURDIR)/resources/icon.png" --release; \
		status=$$?; rm -f FyneApp.toml zz_package_version.go; exit $$status
	mv cmd/cuecard/Cuecard.exe dist/windows/cuecard.exe
	sed 's/$$/\r/' resources/windows/README.txt > dist/windows/README.txt
	cd dist/windows && zip -q -X ../cuecard-windows-amd64.zip cuecard.exe README.txt
	@echo "dist/cuecard-windows-amd64.zip: unzip it and run cuecard.exe (README.txt says more)"

# The desktop app's figures (Xvfb, openbox, a private D-Bus session): hotkey
# to search window, focus change to panel, idle CPU and memory on 10,000
# guides against a bare fyne window with a tray.
bench-desktop: deps-test
	$(GO) test -run '^$$' -bench 'DesktopHotkeySearch|DesktopFocusPanel' -benchtime 60x ./cmd/cuecard
	$(GO) test -run '^$$' -bench 'DesktopIdle' -benchtime 1x -timeout 20m ./cmd/cuecard

# The Windows build's figures under Wine (Xvfb + openbox, Wine's Notepad and
# WineMine): focus change to panel, hotkey to search window, and idle CPU
# with every window hidden.
bench-wine: deps-test
	$(GO) test -run '^$$' -bench 'WineFocusPanel|WineHotkeySearch' -benchtime 60x ./cmd/cuecard
	$(GO) test -run '^$$' -bench 'WineIdle' -benchtime 1x ./cmd/cuecard

lint-sample: build
	$(BIN) lint --strict resources/library

clean:
	rm -rf bin dist

# The Windows focus tracker, hotkey, recorder capture and click overlay compiled for Windows
# and run under Wine against Wine's Notepad (the overlay: a window of its own test), on a private Xvfb + openbox desktop that
# .ci/wine/desktop starts and stops (with the test prefix's wineserver,
# CUECARD_WINEPREFIX or ~/.cache/cuecard/wine). docs/ARCHITECTURE.md says
# what this proves and what only Windows shows. -p 1: the packages' tests
# each move the focus of the one desktop, and capture's click in it.
.PHONY: test-windows-desktop
test-windows-desktop: deps-test
	.ci/wine/desktop env CGO_ENABLED=0 GOOS=windows $(GO) test -count=1 -p 1 -timeout 10m \
		-exec "$(CURDIR)/.ci/wine/exec" ./internal/focus ./internal/hotkey ./internal/capture ./internal/overlay
