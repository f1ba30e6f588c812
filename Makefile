# lambdawaf — every build, test and benchmark target.
#
# `make test` is what CI runs (.ci/run). Long-running work (fuzzing,
# benchmarks, the detection report against Coraza+CRS) has its own target.

GO        ?= go
DIST      ?= dist
ARCHS     ?= x86_64 arm64
GOFLAGS_AGENT = -trimpath -ldflags='-s -w -buildid=' -tags netgo
FUZZTIME  ?= 60s
COUNT     ?= 1

.PHONY: all build agent layer examples sdk-deps test vet fmt-check demo serve bench bench-rie detection-report fuzz redteam report-screenshot clean deps-check fleet-load ato-replay pulumi-cli pulumi-preview

all: build

## agent: the static extension binary and the CLI for both architectures.
agent:
	@for a in $(ARCHS); do \
	  case $$a in arm64) goarch=arm64;; *) goarch=amd64;; esac; \
	  CGO_ENABLED=0 GOOS=linux GOARCH=$$goarch $(GO) build $(GOFLAGS_AGENT) \
	    -o $(DIST)/$$a/lambdawaf-extension ./agent/cmd/lambdawaf-extension || exit 1; \
	done
	CGO_ENABLED=0 $(GO) build -trimpath -o $(DIST)/lambdawaf ./agent/cmd/lambdawaf

## build: everything in the module compiles.
build: agent
	$(GO) build ./...

## layer: one agent layer zip per architecture with the layer's exact tree,
## and the bootstrap layer (/opt/bootstrap alone, for OS-only functions
## whose binary is not named bootstrap; the same for both architectures).
layer: agent
	@mkdir -p $(DIST)/layer
	@for a in $(ARCHS); do \
	  $(GO) run ./agent/layer/cmd/mklayer -extension $(DIST)/$$a/lambdawaf-extension \
	    -out $(DIST)/layer/lambdawaf-$$a.zip || exit 1; \
	done
	$(GO) run ./agent/layer/cmd/mklayer -bootstrap -out $(DIST)/layer/lambdawaf-bootstrap.zip
	@ls -l $(DIST)/layer

## examples: the example stacks' Go handlers, for both architectures
## (examples/<name>/handler/dist/<arch>/bootstrap), ready for `pulumi up`.
EXAMPLE_GO_HANDLERS = http-api alb sqs existing-stack
examples:
	@for e in $(EXAMPLE_GO_HANDLERS); do for a in $(ARCHS); do \
	  case $$a in arm64) goarch=arm64;; *) goarch=amd64;; esac; \
	  CGO_ENABLED=0 GOOS=linux GOARCH=$$goarch $(GO) build -trimpath -tags lambda.norpc -ldflags='-s -w' \
	    -o examples/$$e/handler/dist/$$a/bootstrap ./examples/$$e/handler || exit 1; \
	done; done

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l agent provider examples infra tests tools); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## deps-check: the import boundaries that matter. The extension binary holds
## no Pulumi or Coraza; what users import into Pulumi programs (provider/,
## infra/) holds nothing of the agent but the contract package, and none of
## the agent's heavy dependencies; the contract package is a leaf.
DEPS_FORBIDDEN_IN_PROVIDER = lambdawaf/agent/[^c]|lambdawaf/agent/c[^o]|zerolog|libinjection|aws-sdk-go-v2|corazawaf
deps-check:
	@if $(GO) list -deps ./agent/cmd/lambdawaf-extension | grep -E 'pulumi|corazawaf/coraza|lambdawaf/agent/(emulator|gateway|report|cmd/lambdawaf$$)'; then \
	  echo "agent binary imports Pulumi, Coraza, or the local emulation and CLI (which do not ship in the layer)"; exit 1; fi
	@if $(GO) list -deps ./agent/cmd/lambdawaf-extension | grep -E 'aws-sdk-go-v2/service/s3$$|gofakes3'; then \
	  echo "agent binary imports the SDK's S3 client or a test S3 server (it reads bundles with agent/bundle's SigV4 GET client)"; exit 1; fi
	@if $(GO) list -deps ./agent/cmd/lambdawaf-extension | grep -E 'aws-sdk-go-v2/(config|credentials|feature/|service/)'; then \
	  echo "agent binary imports the SDK's configuration loader or a service client (it calls AWS with agent/awsapi)"; exit 1; fi
	@if $(GO) list -deps ./provider/... ./infra/... | grep -E '$(DEPS_FORBIDDEN_IN_PROVIDER)'; then \
	  echo "provider/ or infra/ imports agent internals or the agent's dependencies (only agent/contract may cross)"; exit 1; fi
	@if $(GO) list -deps ./agent/contract | grep '\.' | grep -v '^github.com/lambdawaf/lambdawaf/agent/contract$$'; then \
	  echo "agent/contract must import the standard library only"; exit 1; fi
	@echo "agent import graph: $$($(GO) list -deps ./agent/cmd/lambdawaf-extension | grep -c .) packages, no Pulumi, no Coraza"
	@echo "provider/lambdawaf import graph: $$($(GO) list -deps ./provider/lambdawaf | grep -c .) packages, no agent internals"

## sdk-deps: TypeScript and Pulumi's Node.js types for the SDK checks
## (provider/sdkcheck), pinned, in dist/sdkcheck; skipped when present.
sdk-deps:
	./provider/sdkcheck/install-node-deps.sh

## test: everything CI runs.
test: fmt-check vet deps-check layer sdk-deps
	$(GO) test -count=$(COUNT) -timeout 12m ./...
	cd agent/redirect && $(GO) vet ./... && $(GO) test -count=$(COUNT) ./...

## demo: the sample function behind the agent in the local Lambda emulation.
demo:
	$(GO) run ./tests/demo

## serve: the local API-Gateway-like endpoint (see `lambdawaf serve -h`).
serve: agent
	$(DIST)/lambdawaf serve -function ./tests/handlers/orders

## bench: latency, allocation, cold-start and memory figures, each with a
## bench time that suits it (a cold-start benchmark starts one environment
## per iteration). Pipe two runs through benchstat to compare.
BENCH = $(GO) test -run '^$$' -benchmem -count=$(COUNT)
bench:
	$(BENCH) -bench Invocation -benchtime 3000x ./agent/proxy/
	$(BENCH) -bench 'Invoke$$' -benchtime 2000x ./tests/e2e/
	$(BENCH) -bench AgentColdStart -benchtime 40x ./tests/e2e/
	$(BENCH) -bench AgentMemory -benchtime 2000x ./tests/e2e/
	$(BENCH) -bench . -benchtime 5000x ./agent/firewall/ ./agent/telemetry/ ./agent/outbound/...
	$(BENCH) -bench Rules100 -benchtime 20000x ./agent/policy/
	$(BENCH) -bench 'Decision|Flagged' -benchtime 20000x ./agent/fleet/
	$(BENCH) -bench 'Parse|Walk|WithoutRecords' -benchtime 2000x ./agent/event/ ./agent/decode/
	$(BENCH) -bench . -benchtime 20x ./tests/detectionreport/

## bench-rie: latency, init, RSS and Managed Instances load on AWS's own
## emulator (direct handler, no-op extension, bare proxy, agent off/log/
## block; medians of RUNS runs), then the long mixed-traffic check. Root.
RUNS ?= 3
bench-rie:
	sh tests/rie/install.sh
	$(GO) run ./tests/rie/benchrie -runs $(RUNS)
## fleet-load: the shared-state load test at the issue's exact figures
## (50 environments, 1,000 requests per 10 s window, 5x load, three whole
## windows) against dynalite; CI runs the same test with 2 s windows.
fleet-load:
	tests/internal/dynalite/install.sh
	LAMBDAWAF_FLEET_LOAD_WINDOW=10s $(GO) test -count=1 -timeout 5m -v -run GlobalLimitHolds ./tests/fleet/
## ato-replay: account takeover on the wall clock against dynalite: a
## 2,000-name credential-stuffing list and a 1,000-source spraying run over
## instances syncing from timers, real users logging in throughout (go
## test runs the same detectors with syncs counted in requests).
ato-replay:
	tests/internal/dynalite/install.sh
	LAMBDAWAF_ATO_LONG=1 $(GO) test -count=1 -timeout 5m -v -run 'Timed|Stuffing|Spraying|BruteForce|Scanning' ./tests/ato/

## detection-report: TP/FP rates for lambdawaf and Coraza+CRS on the same inputs.
detection-report:
	$(GO) run ./tests/detectionreport

## fuzz: every fuzz target for FUZZTIME each. Minimising a new interesting
## input is capped at 200 runs: with Go's default (60 s) the detectors' fuzz
## runs spend most of their time minimising large inputs at 0 execs/s.
fuzz:
	@for pkg in $$($(GO) list ./agent/... ./tests/...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 200x $$pkg || exit 1; \
	  done; \
	done

## redteam: every red-team case (tests/redteam) through the production
## agent in front of a Python handler; writes the results table README.md
## shows to $(DIST)/redteam.md. `make test` runs its short form.
redteam:
	@mkdir -p $(DIST)
	LAMBDAWAF_REDTEAM=full LAMBDAWAF_REDTEAM_TABLE=$(abspath $(DIST))/redteam.md \
	  $(GO) test -count=1 -timeout 30m -run TestRedTeam -v ./tests/redteam/

## pulumi-cli: the pulumi CLI and the YAML language host, built from the Go
## module proxy at the versions tools/pulumicli and tools/pulumiyaml pin
## (modules of their own: the engine's dependencies stay out of go.mod),
## into a cache outside the work tree; skipped when present. About 10 CPU
## minutes cold for the CLI (41 minutes of wall time on a loaded 2-core
## machine), a few more for the language host.
PULUMI_VERSION := $(shell sed -n 's|^.*github.com/pulumi/pulumi/pkg/v3 \(v[0-9][^ ]*\).*$$|\1|p' tools/pulumicli/go.mod)
PULUMI_CACHE   ?= $(HOME)/.cache/lambdawaf/pulumi-$(PULUMI_VERSION)
PULUMI_CLI      = $(PULUMI_CACHE)/bin/pulumi
pulumi-cli:
	@if [ -x $(PULUMI_CLI) ]; then echo "pulumi CLI $(PULUMI_VERSION): $(PULUMI_CLI) (cached)"; else \
	  echo "building the pulumi CLI $(PULUMI_VERSION) (about 10 minutes cold)"; \
	  cd tools/pulumicli && $(GO) build -trimpath -o $(PULUMI_CLI).partial github.com/pulumi/pulumi/pkg/v3/cmd/pulumi && \
	  mv $(PULUMI_CLI).partial $(PULUMI_CLI); fi
	@# The YAML language host (its own module), beside the CLI, where the
	@# CLI looks for bundled plugins.
	@if [ -x $(PULUMI_CACHE)/bin/pulumi-language-yaml ]; then :; else \
	  cd tools/pulumiyaml && $(GO) build -trimpath -o $(PULUMI_CACHE)/bin/pulumi-language-yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml; fi

## pulumi-preview: every example stack through the real Pulumi engine
## (preview, up, preview again on a local file backend) with the stand-in
## AWS provider plugin (tools/awsstandin), which records what AWS would
## receive; each example's TestPulumiUp (build tag pulumipreview) prints
## what it creates and asserts on the recorded inputs. Not in `make test`.
pulumi-preview: examples pulumi-cli
	$(GO) build -o $(PULUMI_CACHE)/standin/pulumi-resource-aws ./tools/awsstandin/cmd/pulumi-resource-aws
	$(GO) build -o $(PULUMI_CACHE)/component/pulumi-resource-lambdawaf ./provider/cmd/pulumi-resource-lambdawaf
	@mkdir -p $(DIST)
	@{ LAMBDAWAF_PULUMI=$(PULUMI_CLI) LAMBDAWAF_AWS_STANDIN=$(PULUMI_CACHE)/standin/pulumi-resource-aws \
	  LAMBDAWAF_COMPONENT_PLUGIN=$(PULUMI_CACHE)/component/pulumi-resource-lambdawaf \
	  $(GO) test -tags pulumipreview -count=1 -timeout 30m -run '^TestPulumiUp$$' -v ./examples/... 2>&1; \
	  echo $$? > $(DIST)/pulumi-preview.rc; } | tee $(DIST)/pulumi-preview.txt; exit $$(cat $(DIST)/pulumi-preview.rc)

## report-screenshot: render the decisions report in headless Chromium.
report-screenshot:
	$(GO) run ./tests/demo -report-screenshot $(DIST)/report.png

clean:
	rm -rf $(DIST)
