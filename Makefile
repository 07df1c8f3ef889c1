# nlgen: the two commands are `make generate` and `make test`.
GO      ?= go
NLGEN   := $(CURDIR)/bin/nlgen
# Iterations, not seconds: a time-based -fuzztime can end with a spurious
# "context deadline exceeded" from the fuzz coordinator, failing CI.
FUZZTIME ?= 20000x
# The spec fuzzers (internal/hostile) load, resolve and render a whole spec
# per input, some hundred inputs a second with coverage instrumentation on
# this 2-core machine; fewer inputs keep `make fuzz` under two minutes.
FUZZTIME_SPEC ?= 1000x

.PHONY: all build generate diff test test-short lint bench fuzz clean

all: build

build:
	$(GO) build -o $(NLGEN) ./cmd/nlgen

# The examples' generated code is committed so they run from a fresh clone;
# examples/netdevs reads the upstream netdev spec, present only beside the
# repository (its test skips otherwise).
NETDEV_SPEC := ../shared/specs/linux/netdev.yaml
RTNL_SPEC := ../shared/specs/linux-6.12/rt_link.yaml

## generate: run the built-in OVS config (nlgen.yaml) into out/, and the examples' configs
generate: build
	$(NLGEN) generate -f nlgen.yaml
	$(NLGEN) generate -f examples/gogenerate/nlgen.yaml
	@if [ -f $(NETDEV_SPEC) ]; then $(NLGEN) generate -f examples/netdevs/nlgen.yaml; fi
	@if [ -f $(RTNL_SPEC) ]; then $(NLGEN) generate -f examples/ipaddr/nlgen.yaml; fi
	$(GO) test -count=1 -run '^TestRuntimeFileIsCurrent$$' ./gen/goruntime -update

## diff: fail when committed outputs differ from what nlgen generates
diff: build
	$(NLGEN) diff -f nlgen.yaml
	$(NLGEN) diff -f examples/gogenerate/nlgen.yaml
	@if [ -f $(NETDEV_SPEC) ]; then $(NLGEN) diff -f examples/netdevs/nlgen.yaml; fi
	@if [ -f $(RTNL_SPEC) ]; then $(NLGEN) diff -f examples/ipaddr/nlgen.yaml; fi

## lint: validate the built-in specs
lint: build
	$(NLGEN) lint -f nlgen.yaml

## test: the whole suite: unit, golden, compile (gcc, mingw), live kernel, brief fuzzing
test: build
	$(GO) vet ./...
	GOOS=windows $(GO) vet ./...
	$(GO) test -count=1 ./...
	$(NLGEN) diff -f nlgen.yaml
	$(MAKE) fuzz FUZZTIME=$(FUZZTIME)

## fuzz: run every fuzz target briefly (FUZZTIME each, FUZZTIME_SPEC for the spec fuzzers)
fuzz:
	@$(GO) list -f '{{.ImportPath}}' ./... | while read -r pkg; do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			n=$(FUZZTIME); case $$pkg in */internal/hostile) n=$(FUZZTIME_SPEC);; esac; \
			echo "fuzz $$pkg $$f ($$n)"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $$n -fuzzminimizetime 100x $$pkg || exit 1; \
		done; \
	done

## bench: the benchmarks with ratios against their baselines
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./...

clean:
	rm -rf bin
