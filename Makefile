# Cuecard. `make run` and `make test` set everything up on Debian/Ubuntu.
GO      ?= go
BIN     := bin/cuecard
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# make run LIBRARY=~/guides uses your own folder instead of the sample library.
LIBRARY ?=
RUNFLAGS := $(if $(LIBRARY),--library "$(LIBRARY)",)

.PHONY: all deps deps-test build run test vet fuzz bench lint-sample clean

all: build

deps:
	@.ci/deps build

deps-test:
	@.ci/deps test

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/cuecard

# Index the library (the bundled sample library unless LIBRARY is set) and
# open the search prompt. The desktop app replaces this when it lands.
run: build
	$(BIN) $(RUNFLAGS) index
	$(BIN) $(RUNFLAGS) search -i

vet:
	$(GO) vet ./...

test: deps-test vet
	$(GO) test -race -count=1 ./...

# Each fuzz target for a short while (FUZZTIME=5m for longer).
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/guide
	$(GO) test -run '^$$' -fuzz '^FuzzRule$$' -fuzztime $(FUZZTIME) ./internal/guide
	$(GO) test -run '^$$' -fuzz '^FuzzDuration$$' -fuzztime $(FUZZTIME) ./internal/guide

# Benchmarks: `cuecard bench` at 10,000 and 50,000 guides, and go test -bench.
bench: build
	$(BIN) bench --guides 10000
	$(BIN) bench --guides 50000
	$(GO) test -run '^$$' -bench . -benchtime 200x ./internal/search

lint-sample: build
	$(BIN) lint --strict resources/library

clean:
	rm -rf bin
