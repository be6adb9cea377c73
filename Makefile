GO ?= go
BIN := bin/driftwatch

.PHONY: build test lint bench bench-watch fuzz clean

build:
	$(GO) build -o $(BIN) ./cmd/driftwatch

# The README's test command; CI runs the same (see .ci/run).
test:
	$(GO) test -race -count=1 ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	$(GO) vet ./...

bench: build
	$(BIN) bench

bench-watch: build
	$(BIN) bench --watch

fuzz:
	$(GO) test ./checker -run '^$$' -fuzz FuzzSplitStatements -fuzztime 30s
	$(GO) test ./checker -run '^$$' -fuzz FuzzQuoteIdent -fuzztime 30s

clean:
	rm -rf bin
