#!/bin/sh
# `rustless` in the builder image. The image's checkout ($RUSTLESS_REPO, /opt/rustless/src) and its
# Maven repository are read-only (a Job runs with readOnlyRootFilesystem); Maven writes target/
# into the checkout, so commands run on a copy in $RUSTLESS_WORKSPACE (an emptyDir in the Job,
# else /tmp/rustless), made once. `rustless dev` runs this same script for its Jobs when it runs
# them as local processes, with RUSTLESS_JAR naming the checkout's CLI jar.
set -eu
src="${RUSTLESS_REPO:-/opt/rustless/src}"
ws="${RUSTLESS_WORKSPACE:-/tmp/rustless}"
if [ ! -f "$ws/pom.xml" ]; then
  if ! mkdir -p "$ws" 2>/dev/null || ! cp -R "$src/." "$ws/" 2>/dev/null; then
    echo "rustless: cannot copy the checkout to $ws: the builder needs a writable workspace" \
      "(RUSTLESS_WORKSPACE on an emptyDir, or a writable /tmp)" >&2
    exit 1
  fi
fi
RUSTLESS_REPO="$ws"
export RUSTLESS_REPO
# shellcheck disable=SC2086 # options are meant to split
exec java ${RUSTLESS_JAVA_OPTS:-} -jar "${RUSTLESS_JAR:-/opt/rustless/rustless.jar}" "$@"
