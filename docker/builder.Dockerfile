# syntax=docker/dockerfile:1
#
# The Rustless builder image, run by the operator's build Jobs. Default name: ghcr.io/rustless/builder:0.1.0
#
#   docker build -f docker/builder.Dockerfile -t ghcr.io/rustless/builder:0.1.0 .
#
# A Job runs one of (ENTRYPOINT is the rustless CLI):
#   publish --extension <name> --image <repository>:<tag> --termination-log /dev/termination-log
#   publish --git <repository> --revision <revision> --path <path> --image <repository>:<tag> --termination-log /dev/termination-log
# Push credentials: DOCKER_CONFIG=/var/run/rustless/docker, a directory with config.json (a mounted
# kubernetes.io/dockerconfigjson secret). On success the termination log holds one JSON line
# {"digest":"sha256:…","reference":"<registry>/<repo>@sha256:…","size":<bytes of plugin.wasm>}.
#
# Builds run offline: Maven's repository in the image holds everything the SDK and the catalogue
# extensions need, and settings.xml says <offline>true</offline>. An extension from git that needs
# another library must be built with an image that has it.

ARG MAVEN_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy

# ---- 1. build the SDK and the CLI; fill Maven's repository ----------------------------------
FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY sdk/ sdk/
COPY extensions/ extensions/
# install first: the extensions use rustless-maven-plugin, which only resolves once installed.
# It also runs TeaVM, the formatter check and every plugin a build needs (clean too: publish builds
# from clean), so they are all fetched.
RUN mvn -B -ntp -DskipTests clean install
# Then every declared dependency and plugin, test scope included.
RUN mvn -B -ntp dependency:go-offline
# A module left by the image build must not stand in for the fresh build a Job makes.
RUN find extensions -name target -type d -prune -exec rm -rf {} +

# ---- 2. the image: JDK, Maven, git, the checkout, the repository; no root -------------------
FROM ${JDK_IMAGE}
LABEL org.opencontainers.image.title="rustless-builder" \
      org.opencontainers.image.description="Builds Rustless (Java) Higress Wasm plugins and pushes them as OCI images" \
      org.opencontainers.image.ref.name="ghcr.io/rustless/builder:0.1.0"
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/share/maven /opt/maven
RUN ln -s /opt/maven/bin/mvn /usr/local/bin/mvn \
 && groupadd --gid 10001 rustless \
 && useradd --uid 10001 --gid 10001 --create-home --home-dir /home/rustless --shell /usr/sbin/nologin rustless \
 && mkdir -p /var/run/rustless/docker
COPY --from=build --chown=10001:10001 /root/.m2/repository /home/rustless/.m2/repository
COPY --chown=10001:10001 docker/maven-settings.xml /home/rustless/.m2/settings.xml
COPY --from=build --chown=10001:10001 /src /home/rustless/rustless
COPY --chown=10001:10001 rustless /home/rustless/rustless/rustless
RUN chmod 0755 /home/rustless/rustless/rustless \
 && ln -s /home/rustless/rustless/rustless /usr/local/bin/rustless
ENV RUSTLESS_REPO=/home/rustless/rustless \
    DOCKER_CONFIG=/var/run/rustless/docker \
    MAVEN_OPTS="-XX:MaxRAMPercentage=50"
# Numeric, so that Kubernetes can check runAsNonRoot.
USER 10001:10001
WORKDIR /home/rustless/rustless
ENTRYPOINT ["rustless"]
CMD ["--help"]
