#!/usr/bin/env bash
# Builds the Rustless container images into the local container storage, without a Docker engine:
#
#   rustless/builder:<version>             docker/builder.Dockerfile (what the operator's Jobs run)
#   rustless/operator:<version>            docker/operator.Dockerfile (what the Helm chart runs)
#   rustless/plugin-<extension>:<version>  docker/plugin.Dockerfile, for each extension named
#                                          (default: say-hello)
#
#   docker/build-images.sh [--no-plugins] [--refresh-base] [extension...]
#
# <version> is the project version in pom.xml. Tools: buildah and podman (Debian packages), and
# mmdebstrap for the base. The base is Debian bookworm: by default made here with mmdebstrap
# (minbase, bookworm + updates + security, the package set of the public debian:bookworm) and
# imported as localhost/rustless/debian:bookworm; BASE_IMAGE=docker.io/library/debian:bookworm
# uses the public one instead. Storage driver: containers-storage's own choice (overlay where the
# kernel allows it, else vfs; a storage keeps the driver it was first used with), or
# $STORAGE_DRIVER. Java trust store for Maven's downloads during the build only:
# $MAVEN_TRUSTSTORE, default /etc/ssl/certs/java/cacerts when it exists (passed as a build secret,
# never stored in an image).
set -euo pipefail

cd "$(dirname "$0")/.."
start_all=$(date +%s)

die() {
  echo "build-images: $*" >&2
  exit 1
}
step() { echo "==> $*"; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

plugins=1
refresh_base=0
extensions=()
for arg in "$@"; do
  case "$arg" in
    --no-plugins) plugins=0 ;;
    --refresh-base) refresh_base=1 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $arg (see --help)" ;;
    *) extensions+=("$arg") ;;
  esac
done
[ ${#extensions[@]} -gt 0 ] || extensions=(say-hello)
for ext in "${extensions[@]}"; do
  [ -f "extensions/$ext/pom.xml" ] || die "no extension '$ext' (extensions/$ext/pom.xml does not exist)"
done

for tool in buildah podman; do
  command -v "$tool" >/dev/null 2>&1 \
    || die "$tool is missing: apt-get install -y buildah podman mmdebstrap runc (Debian 12)"
done

version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -n 1)
[ -n "$version" ] || die "cannot read the project version from pom.xml"

# buildah reads no STORAGE_DRIVER variable itself: when it is set, both tools get it on the
# command line; otherwise both take the driver the storage already uses, or the first that works.
driver_opt=()
[ -z "${STORAGE_DRIVER:-}" ] || driver_opt=(--storage-driver "$STORAGE_DRIVER")
podman=(podman "${driver_opt[@]}")
# Some machines (containers among them) refuse podman's default rlimits; these are enough.
limits=(--ulimit nofile=1024:1024 --ulimit nproc=1000:1000)
# No --layers: under vfs every cached layer is a full copy of the file system (gigabytes per
# build). What is worth keeping between builds is kept anyway: the Debian base image and Maven's
# downloads (a cache mount in /var/tmp/buildah-cache-*).
bud=(buildah "${driver_opt[@]}" bud --isolation chroot --network host "${limits[@]}")

have_image() { "${podman[@]}" image exists "$1" 2>/dev/null; }
driver=$("${podman[@]}" info --format '{{.Store.GraphDriverName}}' 2>/dev/null) \
  || die "podman cannot open the container storage: $("${podman[@]}" info 2>&1 | tail -n 1)"
image_id() { "${podman[@]}" image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
# The image a new build of the same tag replaced: untagged now, and a full copy under vfs.
drop_replaced() {
  local old="$1" tag="$2"
  if [ -n "$old" ] && [ "$old" != "$(image_id "$tag")" ]; then
    "${podman[@]}" rmi "$old" >/dev/null 2>&1 || true
  fi
}

echo "==> Container storage: $driver driver; images tagged $version"

# ---- the base -----------------------------------------------------------------------------------
base="${BASE_IMAGE:-}"
if [ -z "$base" ]; then
  base=localhost/rustless/debian:bookworm
  if [ "$refresh_base" = 1 ] || ! have_image "$base"; then
    command -v mmdebstrap >/dev/null 2>&1 \
      || die "mmdebstrap is missing (apt-get install -y mmdebstrap), or set BASE_IMAGE=docker.io/library/debian:bookworm"
    step "[1/4] Debian bookworm base: mmdebstrap --variant=minbase, then podman import as $base"
    t=$(date +%s)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    mmdebstrap --quiet --variant=minbase --aptopt='Acquire::Retries "3"' bookworm "$tmp/base.tar" \
      "deb http://deb.debian.org/debian bookworm main" \
      "deb http://deb.debian.org/debian bookworm-updates main" \
      "deb http://deb.debian.org/debian-security bookworm-security main"
    "${podman[@]}" import --quiet --change 'CMD ["bash"]' "$tmp/base.tar" "$base" >/dev/null
    rm -rf "$tmp"
    echo "    $base ($(elapsed "$t"))"
  else
    step "[1/4] Debian bookworm base: $base (present; --refresh-base makes it again)"
  fi
else
  step "[1/4] base: $base"
fi

# ---- the images -----------------------------------------------------------------------------------
secret=()
truststore="${MAVEN_TRUSTSTORE:-/etc/ssl/certs/java/cacerts}"
if [ -f "$truststore" ]; then
  secret=(--secret "id=cacerts,src=$truststore")
fi
# build TAG DOCKERFILE BUILD-ARGS...: one image, replacing the one the tag had.
build() {
  local tag="$1" file="$2" t old
  shift 2
  t=$(date +%s)
  old=$(image_id "$tag")
  "${bud[@]}" "$@" -f "$file" -t "$tag" . 2>&1 | sed -u 's/^/    /'
  drop_replaced "$old" "$tag"
  echo "    $tag ($(elapsed "$t"))"
}

builder="rustless/builder:$version"
step "[2/4] $builder from docker/builder.Dockerfile (JDK 17, Maven, the SDK, an offline Maven repository)"
build "$builder" docker/builder.Dockerfile "${secret[@]}" --build-arg "BASE_IMAGE=$base"

operator="rustless/operator:$version"
step "[3/4] $operator from docker/operator.Dockerfile (a JRE 17 and the operator's jar)"
build "$operator" docker/operator.Dockerfile "${secret[@]}" --build-arg "BASE_IMAGE=$base"

if [ "$plugins" = 1 ]; then
  n=0
  for ext in "${extensions[@]}"; do
    n=$((n + 1))
    image="rustless/plugin-$ext:$version"
    step "[4/4] $image from docker/plugin.Dockerfile ($n of ${#extensions[@]}, built offline in $builder)"
    build "$image" docker/plugin.Dockerfile \
      --build-arg "BUILDER=localhost/$builder" --build-arg "PLUGIN_NAME=$ext"
  done
else
  step "[4/4] plugin images skipped (--no-plugins)"
fi

echo "==> Done in $(elapsed "$start_all"):"
"${podman[@]}" images --format '    {{.Repository}}:{{.Tag}}  {{.Size}}' \
  | grep -E "rustless/(builder|operator|plugin-[a-z0-9-]+):$version\$|rustless/(builder|operator|plugin-[a-z0-9-]+):$version " || true
