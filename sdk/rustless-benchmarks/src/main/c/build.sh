#!/bin/sh
# Builds the C floor plugin with Debian's clang for wasm32 and wasi-libc (run by the benchmark
# module's build; CI installs the packages). Usage: build.sh SOURCE OUTPUT
set -eu
src=$1
out=$2
missing=""
command -v clang >/dev/null 2>&1 || missing="$missing clang"
command -v wasm-ld >/dev/null 2>&1 || missing="$missing lld"
[ -f /usr/lib/wasm32-wasi/libc.a ] || missing="$missing wasi-libc"
if [ -z "$missing" ] && ! ls /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1; then
  missing="$missing libclang-rt-dev-wasm32"
fi
if [ -n "$missing" ]; then
  echo "ERROR: the benchmarks' C modules need Debian's clang for wasm32 with wasi-libc; missing:$missing." >&2
  echo "ERROR: install them with: apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32" >&2
  exit 1
fi
if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$0" ]; then
  echo "C module up to date: $out"
  exit 0
fi
mkdir -p "$(dirname "$out")"
clang --target=wasm32-wasi --sysroot=/usr -O2 -mexec-model=reactor -Wl,--strip-all \
  -Wall -Wextra -Wno-unused-parameter -Werror -o "$out" "$src"
echo "C module: $out ($(wc -c < "$out") bytes, $(clang --version | head -n 1))"
