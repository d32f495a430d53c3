# syntax=docker/dockerfile:1
#
# The Rustless builder image, run by the operator's build Jobs. Published name:
# ghcr.io/rustless/builder:<version>; docker/build-images.sh tags it rustless/builder:<version>.
#
#   docker/build-images.sh                                      # here: buildah, a local Debian base
#   docker build -f docker/builder.Dockerfile -t rustless/builder:0.1.0-SNAPSHOT .   # elsewhere
#
# Debian bookworm with Debian's OpenJDK 17, Maven 3.8 and git; the SDK's sources; a Maven
# repository with everything a build of an extension needs, used offline (/etc/maven/settings.xml);
# the rustless CLI. Everything under /opt/rustless is root's and read-only: a Job runs with
# readOnlyRootFilesystem, as uid 10001. The `rustless` command copies the checkout to
# $RUSTLESS_WORKSPACE (an emptyDir in the Job, else /tmp/rustless) and builds there.
#
# A Job runs one of:
#   rustless publish --extension <name> --image <repository>:<tag> --termination-log /dev/termination-log
#   rustless publish --git <repository> --revision <revision> --path <path> --image <repository>:<tag> …
# Push credentials: DOCKER_CONFIG=/var/run/rustless/docker, a directory with config.json (a mounted
# kubernetes.io/dockerconfigjson secret). On success the termination log holds one JSON line
# {"digest":"sha256:…","reference":"<registry>/<repo>@sha256:…","size":<bytes of plugin.wasm>}.
#
# Behind a TLS-intercepting proxy, give Maven the proxy's trust store for this build only (it never
# enters an image): --secret id=cacerts,src=/etc/ssl/certs/java/cacerts

# The base: Debian bookworm. build-images.sh passes a local one made with mmdebstrap (same
# suites, same minbase package set) where docker.io cannot be reached.
ARG BASE_IMAGE=docker.io/library/debian:bookworm

# ---- 1. the tools: what both the build and the Jobs run ----------------------------------------
FROM ${BASE_IMAGE} AS tools
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless maven git ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log /tmp/* \
 && groupadd --gid 10001 rustless \
 && useradd --uid 10001 --gid 10001 --home-dir /home/rustless --create-home --shell /usr/sbin/nologin rustless \
 && mkdir -p /var/run/rustless/docker /workspace \
 && chown 10001:10001 /workspace

# ---- 2. build the SDK and the CLI; fill the Maven repository -----------------------------------
FROM tools AS build
# Clean sources for the image (no build output), and a copy to build in.
COPY pom.xml /out/opt/rustless/src/
COPY operator/pom.xml /out/opt/rustless/src/operator/
COPY dev/pom.xml /out/opt/rustless/src/dev/
COPY kubelet/pom.xml /out/opt/rustless/src/kubelet/
COPY gateway-tests/pom.xml /out/opt/rustless/src/gateway-tests/
COPY testing-services/ /out/opt/rustless/src/testing-services/
COPY sdk/ /out/opt/rustless/src/sdk/
COPY extensions/ /out/opt/rustless/src/extensions/
COPY docker/maven-settings.xml /out/etc/maven/settings.xml
COPY docker/rustless-launcher.sh /out/usr/local/bin/rustless
# `clean install` resolves every plugin and dependency a build of a catalogue extension needs
# (clean too: publish builds from clean), so they are all in the repository. The TeaVM compile
# itself is skipped (rustless.skip: its plugin and classpath are resolved all the same), and
# modules no extension build needs stay out: the operator, the Job runner (kubelet), `rustless
# dev`, the conformance suite, the benchmarks, the gateway tests;
# formatting is not checked here (verify-phase only, never run by a Job). The repository lives in
# a cache mount, so a rebuild after a source change downloads nothing.
RUN --mount=type=cache,id=rustless-m2,target=/root/.m2/repository,sharing=locked \
    --mount=type=secret,id=cacerts \
    set -e; \
    if [ -s /run/secrets/cacerts ]; then export MAVEN_OPTS="-Djavax.net.ssl.trustStore=/run/secrets/cacerts"; fi; \
    cp -R /out/opt/rustless/src /src; \
    cd /src; \
    mvn -B -ntp -Dmaven.repo.local=/root/.m2/repository \
      -pl '!operator,!dev,!kubelet,!gateway-tests,!sdk/rustless-conformance,!sdk/rustless-benchmarks' \
      -DskipTests -Drustless.skip=true -Dspotless.check.skip=true clean install; \
    cp /src/sdk/rustless-cli/target/rustless.jar /out/opt/rustless/rustless.jar; \
    mkdir -p /out/opt/rustless/repository; \
    cp -R /root/.m2/repository/. /out/opt/rustless/repository/; \
    chmod 0755 /out/usr/local/bin/rustless; \
    chmod -R a+rX,go-w /out; \
    rm -rf /src

# ---- 3. the image: tools + /out; read-only for the build user ----------------------------------
FROM tools
LABEL org.opencontainers.image.title="rustless-builder" \
      org.opencontainers.image.description="Builds Rustless (Java) Higress Wasm plugins offline and pushes them as OCI images" \
      org.opencontainers.image.source="https://github.com/rustless/rustless"
COPY --from=build /out/ /
ENV RUSTLESS_REPO=/opt/rustless/src \
    DOCKER_CONFIG=/var/run/rustless/docker \
    LANG=C.UTF-8 \
    MAVEN_OPTS="-XX:MaxRAMPercentage=50"
# Numeric, so that Kubernetes can check runAsNonRoot; the Job's runAsUser is the same.
USER 10001:10001
WORKDIR /home/rustless
ENTRYPOINT ["rustless"]
CMD ["--help"]
