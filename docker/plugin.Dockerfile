# syntax=docker/dockerfile:1
#
# One plugin as a Docker image that Higress (Istio's image fetcher) loads: FROM scratch with
# plugin.wasm, so the image's last (and only) layer is a tar.gz holding plugin.wasm. The
# equivalent of the seed's per-plugin Dockerfile; `rustless push` makes the OCI layout with
# spec.yaml and README.md as well, without Docker.
#
#   docker build -f docker/plugin.Dockerfile --build-arg PLUGIN_NAME=say-hello \
#     -t registry.example.com/plugins/say-hello:0.1.0 .
#   docker push registry.example.com/plugins/say-hello:0.1.0
#
# or write just the module to disk, as the seed's `make build` does:
#
#   docker build -f docker/plugin.Dockerfile --build-arg PLUGIN_NAME=say-hello --output extensions/say-hello .

ARG BUILDER=ghcr.io/rustless/builder:0.1.0

FROM ${BUILDER} AS build
ARG PLUGIN_NAME=say-hello
# This checkout replaces the image's copy; dependencies come from the image, offline.
COPY --chown=10001:10001 . /home/rustless/rustless/
RUN rustless build "${PLUGIN_NAME}" --offline \
 && cp "extensions/${PLUGIN_NAME}/target/plugin.wasm" /tmp/plugin.wasm

FROM scratch AS output
COPY --from=build /tmp/plugin.wasm ./plugin.wasm
