#!/usr/bin/env bash
# Installs what Backprop Lab needs on a Debian machine (as root), and does nothing when all is there:
# emscripten (WASM build), libsimde-dev (native SIMD tests), chromium + chromium-driver (browser
# tests), wabt (wasm2wat, to check the SIMD in the built module), clang + libclang-rt-14-dev (libFuzzer
# harness of the C API), and the npm devDependencies.
# --test also installs PyTorch (python3-torch: make test runs the scripts "Open in PyTorch" writes);
# --bench also installs the benchmark's peers: PyTorch (python3-torch) and OpenBLAS.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PKGS=(emscripten libsimde-dev chromium chromium-driver wabt make gcc clang libclang-rt-14-dev)
[ "${1:-}" = "--test" ] && APT_PKGS+=(python3-torch poppler-utils)   # the exported PyTorch scripts run in make test (48 MB, about 2 min); pdftotext reads the printed report
[ "${1:-}" = "--test" ] && APT_PKGS+=(libxml2-utils unzip)   # xmllint validates the SCORM manifest; unzip opens the package (tests/node/scorm.test.mjs)
[ "${1:-}" = "--bench" ] && APT_PKGS+=(python3-torch libopenblas0-pthread)
APT_PKGS+=(firefox-esr)   # the browser tests' Firefox leg (tests/browser/firefox.test.mjs)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v node >/dev/null; then
  echo "setup: node is missing; installing Debian's nodejs and npm"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

# npm ci when node_modules is missing or older than the lock file
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  # puppeteer-core drives Debian's Firefox and downloads no browser; the variable makes sure of it
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
