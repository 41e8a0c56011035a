# Backprop Lab. `make run` serves the page, `make test` runs every test, `make bench` measures.
# Both set up what is missing first (scripts/setup.sh: apt packages, npm ci).

SRC      := $(wildcard src/*.c)
HDR      := $(wildcard src/*.h)
CFLAGS   := -std=c11 -O2 -Wall -Wextra -ffp-contract=off
EMFLAGS  := -std=c11 -O3 -ffp-contract=off -Wall -Wextra --no-entry -sSTANDALONE_WASM=1 \
            -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=4MB -sMAXIMUM_MEMORY=1GB -sTOTAL_STACK=256KB \
            -sEXPORTED_FUNCTIONS=$(shell sed 's/^/_/' wasm/exports.txt | paste -sd, -)
export NODE_PATH := /usr/share/nodejs
PORT     ?= 8080
OUT      := web/build

.PHONY: all vendor precache setup wasm native test test-c test-node test-browser bench bench-grid run data data-full fixtures clean

all: wasm vendor precache

# ---- third-party files the page ships (from npm, copied so the page works from any static host)
vendor: web/vendor/.stamp

web/vendor/.stamp: package-lock.json
	@mkdir -p web/vendor/katex
	cp node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css web/vendor/
	cp -r node_modules/katex/dist/katex.mjs node_modules/katex/dist/katex.min.css node_modules/katex/dist/fonts web/vendor/katex/
	touch $@

# ---- the service worker's list of files for offline use (web/sw.js), after every build
precache: wasm vendor
	node scripts/precache.mjs

setup:
	bash scripts/setup.sh

# ---- WebAssembly: the SIMD build the page uses and the scalar build (fallback, and bench peer)
wasm: $(OUT)/bp-simd.wasm $(OUT)/bp-scalar.wasm

$(OUT)/bp-simd.wasm: $(SRC) $(HDR) wasm/exports.txt
	@mkdir -p $(OUT)
	@echo "emcc -msimd128 ... -o $@"
	@emcc $(EMFLAGS) -msimd128 $(SRC) -o $@

$(OUT)/bp-scalar.wasm: $(SRC) $(HDR) wasm/exports.txt
	@mkdir -p $(OUT)
	@echo "emcc -DBP_SCALAR ... -o $@"
	@emcc $(EMFLAGS) -DBP_SCALAR $(SRC) -o $@

# ---- native builds: the same SIMD source through SIMDe, under AddressSanitizer and UBSan
build/native/test_core: $(SRC) $(HDR) tests/c/test_core.c
	@mkdir -p build/native
	gcc $(CFLAGS) -g -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc \
	    tests/c/test_core.c $(SRC) -lm -o $@

native: build/native/test_core

test-c: build/native/test_core
	build/native/test_core

test-node: wasm vendor
	node --test tests/node/

test-browser: wasm vendor precache
	node --test --test-concurrency=1 tests/browser/

test:
	bash scripts/setup.sh --test
	$(MAKE) test-c test-node test-browser

bench: wasm build/bench/peak.wasm
	bash scripts/setup.sh --bench
	node bench/bench.mjs

# the default grid with 1 and with 2 worker threads (bench/grid-jobs.mjs; DATA=data/mnist-full.bin for full MNIST)
bench-grid: wasm
	node bench/grid-jobs.mjs $(if $(DATA),--data $(DATA))

build/bench/peak.wasm: bench/peak.c
	@mkdir -p build/bench
	emcc -O3 -msimd128 --no-entry -sSTANDALONE_WASM=1 $< -o $@

run: setup wasm vendor precache
	node scripts/serve.mjs --port $(PORT)

data:
	node data/make-data.mjs

data-full:
	node data/make-data.mjs --full

fixtures:
	/usr/bin/python3 tests/fixtures/make_fixtures.py

clean:
	rm -rf build $(OUT) web/vendor
