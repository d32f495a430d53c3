# syntax=docker/dockerfile:1
#
# One plugin as a Docker image that Higress (Istio's image fetcher) loads: FROM scratch with
# plugin.wasm, so the image's last (and only) layer is a tar holding plugin.wasm. The equivalent
# of the seed's per-plugin Dockerfile; `rustless push` makes the OCI layout with spec.yaml and
# README.md as well, without Docker. The module is built from this checkout inside the builder
# image, offline.
#
#   docker/build-images.sh say-hello        # here: rustless/plugin-say-hello:<version>
#   docker build -f docker/plugin.Dockerfile --build-arg PLUGIN_NAME=say-hello \
#     -t registry.example.com/plugins/say-hello:0.1.0 .
#
# or write just the module to disk, as the seed's `make build` does:
#
#   docker build -f docker/plugin.Dockerfile --build-arg PLUGIN_NAME=say-hello --output extensions/say-hello .

ARG BUILDER=ghcr.io/rustless/builder:0.1.0

FROM ${BUILDER} AS build
ARG PLUGIN_NAME=say-hello
# This checkout, in place of the image's own; dependencies come from the image, offline.
ENV RUSTLESS_WORKSPACE=/home/rustless/checkout
COPY --chown=10001:10001 . /home/rustless/checkout/
RUN rustless build "${PLUGIN_NAME}" --offline \
 && cp "/home/rustless/checkout/extensions/${PLUGIN_NAME}/target/plugin.wasm" /home/rustless/plugin.wasm

FROM scratch AS output
COPY --from=build /home/rustless/plugin.wasm ./plugin.wasm
