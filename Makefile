# authconform: make run | test | lint | bench | cover | fuzz | mutate
GO      ?= go
PKGS    := ./...
BENCHTIME ?= 1s
FUZZTIME  ?= 30s

.PHONY: run test lint bench bench-serve cover fuzz mutate build dist image container clients compliance

## run: the whole suite against the embedded fakes, with a readable summary
run:
	$(GO) run ./cmd/authconform run

## test: unit tests, the suite against the fakes, the CLI, all with -race
test:
	$(GO) test -race -count=1 $(PKGS)

## lint: gofmt, go vet and staticcheck (a tool of go.mod: `go tool staticcheck`)
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

## bench: benchmarks of the fake and of the suite, then bench-serve (figures in docs/benchmarks.md)
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -benchtime=$(BENCHTIME) ./fakeserver ./cmd/authconform
	$(MAKE) --no-print-directory bench-serve

## bench-serve: `serve` and a bare net/http server, both as processes, driven
## by one load client in interleaved rounds at 16 and 1 clients; prints
## req/s, the ratio serve/bare (median of the rounds) and CPU per request
SERVEBENCH_FLAGS ?= -rounds 3 -duration 2s -clients 16,1
bench-serve:
	$(GO) run ./internal/servebench $(SERVEBENCH_FLAGS)

## cover: coverage profile and per-function summary
cover:
	$(GO) test -count=1 -coverprofile=cover.out $(PKGS)
	$(GO) tool cover -func=cover.out | tail -1

## fuzz: every Fuzz target of fakeserver (and its internal packages) and fixtures for $(FUZZTIME) each, one
## after another (go test runs one -fuzz target per package at a time)
FUZZPKGS := ./fakeserver ./fakeserver/internal/core ./fakeserver/internal/neo4j33 \
            ./fakeserver/internal/neo4jquery ./fakeserver/internal/couchdb ./fixtures
fuzz:
	@set -e; for pkg in $(FUZZPKGS); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "== $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) $$pkg; \
		done; \
	done

## mutate: mutation testing with gremlins, one package at a time (each
## mutant runs that package's tests); fails below MUTATE_EFFICACY percent.
## gremlins mutates a directory with its subdirectories: --exclude-files /
## leaves out the files below it, so each package is mutated once, in its
## own run (docs/testing-the-judge.md).
## Modest defaults for a shared 2-core machine: one worker, a generous timeout.
GREMLINS        ?= $(shell $(GO) env GOPATH)/bin/gremlins
GREMLINS_VERSION := v0.6.0
MUTATE_PKGS     ?= ./specs/... ./fixtures ./fakeserver/...
MUTATE_EFFICACY ?= 90
MUTATE_FLAGS    ?= --workers 1 --test-cpu 2 --timeout-coefficient 10
mutate:
	@test -x $(GREMLINS) || $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)
	@status=0; for dir in $$($(GO) list -f '{{.Dir}}' $(MUTATE_PKGS)); do \
		rel=./$${dir#$(CURDIR)/}; \
		echo "== gremlins $$rel"; \
		$(GREMLINS) unleash --exclude-files / $(MUTATE_FLAGS) --threshold-efficacy $(MUTATE_EFFICACY) $$rel || status=1; \
	done; exit $$status

## build: a static bin/authconform; -buildvcs=auto stamps the git revision
## (shown by --version) even where GOFLAGS says -buildvcs=false
BIN ?= bin/authconform
build:
	CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=auto -o $(BIN) ./cmd/authconform

## dist: static release binaries for linux, darwin and windows on amd64 and
## arm64 in dist/, with their SHA-256 sums in dist/SHA256SUMS
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
SHA256 := $(shell command -v sha256sum >/dev/null 2>&1 && echo sha256sum || echo shasum -a 256)
dist:
	rm -rf dist && mkdir -p dist
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; [ "$$os" = windows ] && ext=.exe; \
		echo "== $$os/$$arch"; \
		GOOS=$$os GOARCH=$$arch CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=auto -ldflags='-s -w' \
			-o dist/authconform-$$os-$$arch$$ext ./cmd/authconform; \
	done
	cd dist && $(SHA256) authconform-* >SHA256SUMS && cat SHA256SUMS

## image: the container image $(IMAGE) FROM scratch, built from `make build`
## (GOOS=linux) with podman, or docker where podman is missing
IMAGE    ?= localhost/authconform:dev
CA_CERTS ?= /etc/ssl/certs/ca-certificates.crt
CONTAINER_TOOL ?= $(shell command -v podman >/dev/null 2>&1 && echo podman || echo docker)
ROOTFS := bin/rootfs
image:
	rm -rf $(ROOTFS) && mkdir -p $(ROOTFS)/usr/local/bin $(ROOTFS)/etc/ssl/certs $(ROOTFS)/tmp
	$(MAKE) --no-print-directory build GOOS=linux BIN=$(ROOTFS)/usr/local/bin/authconform
	cp $(CA_CERTS) $(ROOTFS)/etc/ssl/certs/ca-certificates.crt
	chmod 1777 $(ROOTFS)/tmp
	printf 'root:x:0:0:root:/:/sbin/nologin\nauthconform:x:65532:65532:authconform:/tmp:/sbin/nologin\n' >$(ROOTFS)/etc/passwd
	printf 'root:x:0:\nauthconform:x:65532:\n' >$(ROOTFS)/etc/group
	$(CONTAINER_TOOL) build -t $(IMAGE) -f Containerfile \
		--build-arg VERSION="$$(go version -m $(ROOTFS)/usr/local/bin/authconform | awk '$$1 == "mod" {print $$3}')" $(ROOTFS)

## container: build the image, then serve, run and the client libraries in containers
## (installs podman and runc from Debian where it can; skips without a runtime)
container:
	bash .ci/container/run.sh

## clients: real client libraries (Node: neo4j, Query API wrapper, nano, PouchDB; Go: kivik) against `serve`
clients:
	bash .ci/clients/run.sh

## compliance: install pouchdb-server 4.2.0 from npm, set it up, and judge it with its expectation file
compliance:
	bash .ci/compliance/run.sh
