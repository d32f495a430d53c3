# syntax=docker/dockerfile:1
#
# The Rustless operator image. Published name: ghcr.io/rustless/operator:<version> (the Helm chart's
# default); docker/build-images.sh tags it rustless/operator:<version>.
#
#   docker/build-images.sh                                                  # here: buildah, a local Debian base
#   docker build -f docker/operator.Dockerfile -t rustless/operator:0.1.0-SNAPSHOT .   # elsewhere
#
# Debian bookworm with Debian's OpenJDK 17 JRE; the operator's jar and its runtime dependencies.
# It runs as 65532 with a read-only root file system, as the chart runs it: the JVM writes only
# to /tmp (an emptyDir in the chart, a tmpfs under podman). Configuration comes from RUSTLESS_*
# environment variables (OperatorConfig); the API server from the pod's service account, or
# $KUBECONFIG outside a cluster.

ARG BASE_IMAGE=docker.io/library/debian:bookworm

# ---- 1. build the operator jar -----------------------------------------------------------------
FROM ${BASE_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless maven ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Maven reads every module of the reactor, even with -pl: the sources it needs, the poms of the rest.
COPY pom.xml /src/
COPY testing-services/ /src/testing-services/
COPY sdk/ /src/sdk/
COPY extensions/ /src/extensions/
COPY operator/ /src/operator/
COPY kubelet/ /src/kubelet/
COPY dev/pom.xml /src/dev/
COPY gateway-tests/pom.xml /src/gateway-tests/
# The operator depends on no module of ours at run time: its catalogue is the extensions'
# spec.yaml files, packed as resources. Its tests use the Job runner (kubelet) and the test
# services (Debian's docker-registry), which Maven resolves even with -DskipTests, so they are
# built here too (they are not in the image). Maven's downloads live in a cache mount shared with
# the builder image's build.
RUN --mount=type=cache,id=rustless-m2,target=/root/.m2/repository,sharing=locked \
    --mount=type=secret,id=cacerts \
    set -e; \
    if [ -s /run/secrets/cacerts ]; then export MAVEN_OPTS="-Djavax.net.ssl.trustStore=/run/secrets/cacerts"; fi; \
    cd /src; \
    mvn -B -ntp -Dmaven.repo.local=/root/.m2/repository -pl testing-services,kubelet,operator \
      -DskipTests -Dspotless.check.skip=true package; \
    mkdir -p /out/app; \
    cp -R operator/target/lib /out/app/lib; \
    cp operator/target/rustless-operator-*.jar /out/app/rustless-operator.jar; \
    chmod -R a+rX,go-w /out

# ---- 2. the image: a JRE and the jar -----------------------------------------------------------
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log /tmp/*
LABEL org.opencontainers.image.title="rustless-operator" \
      org.opencontainers.image.description="Builds RustlessWasmPluginSources and reconciles Higress WasmPlugins" \
      org.opencontainers.image.source="https://github.com/rustless/rustless"
COPY --from=build /out/ /
WORKDIR /app
ENV LANG=C.UTF-8 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp"
# 8080 metrics, 8081 health (RUSTLESS_METRICS_PORT, RUSTLESS_HEALTH_PORT).
EXPOSE 8080 8081
USER 65532:65532
ENTRYPOINT ["java", "-jar", "/app/rustless-operator.jar"]
