GO ?= go
BIN := bin/driftwatch

.PHONY: build test lint bench bench-watch fuzz clean

build:
	$(GO) build -o $(BIN) ./cmd/driftwatch

# The README's test command; CI runs the same (see .ci/run).
test:
	$(GO) test -race -count=1 -timeout 30m ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	$(GO) vet ./...

bench: build
	$(BIN) bench

bench-watch: build
	$(BIN) bench --watch

# Each fuzz target of what parses outside input, 30 s each.
fuzz:
	$(GO) test ./checker -run '^$$' -fuzz FuzzSplitStatements -fuzztime 30s
	$(GO) test ./checker -run '^$$' -fuzz FuzzQuoteIdent -fuzztime 30s
	$(GO) test ./checker -run '^$$' -fuzz FuzzDecodeModel -fuzztime 30s
	$(GO) test ./watcher -run '^$$' -fuzz FuzzLoadConfig -fuzztime 30s
	$(GO) test ./notify -run '^$$' -fuzz FuzzVerify -fuzztime 30s
	$(GO) test ./notify -run '^$$' -fuzz FuzzDecodeEvent -fuzztime 30s

clean:
	rm -rf bin
