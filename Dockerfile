# bulwark in a container, built in two stages on Debian 12:
#   docker build -t bulwark .
#   docker run --rm --read-only -v "$PWD:/work:ro" bulwark image /work/app.tar
# The build stage makes the Debian package of debian/ (dpkg-buildpackage); the final stage
# installs it on a plain Debian 12, so the image's dpkg database names bulwark and every
# library it uses (a scanner, bulwark included, sees them). It runs as uid 10001 and writes
# only under /cache, a volume: the vulnerability database and the layer cache
# (XDG_CACHE_HOME) and temporary files (TMPDIR), so a read-only root filesystem works.
# docs/install.md has the details (mounting the database, the Docker socket, tests).
#
# BASE and RUNTIME_BASE are the two stages' Debian 12 images: debian:12 from a registry,
# or any Debian 12 root filesystem imported locally (the tests use debootstrap ones).
# Neither is pinned by digest (BW-DF-003, ignored below): the choice of image is the
# builder's, and no digest could name both a registry's debian:12 and a local import.
ARG BASE=debian:12
ARG RUNTIME_BASE=debian:12

# bulwark ignore=BW-DF-003
FROM ${BASE} AS build
WORKDIR /src/bulwark
# What builds the package (build-essential, dpkg-dev, debian/control's Build-Depends),
# installed by the script of the README's set-up: apt-get runs only for what is missing.
COPY deps/ deps/
COPY scripts/install-deps.sh scripts/
COPY debian/control debian/
RUN bash scripts/install-deps.sh --package
COPY . .
# nocheck: the unit tests run in the project's CI; --build-arg DEB_BUILD_OPTIONS= runs them here too.
ARG DEB_BUILD_OPTIONS=nocheck
RUN DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS parallel=$(nproc)" dpkg-buildpackage -b -us -uc && \
    mkdir /out && mv ../bulwark_* ../bulwark-dbgsym_* /out/

# bulwark ignore=BW-DF-003
FROM ${RUNTIME_BASE}
LABEL org.opencontainers.image.title="bulwark" \
      org.opencontainers.image.description="container security toolkit: images, Dockerfiles, Docker hosts" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /out/bulwark_*.deb /tmp/bulwark-deb/
# dpkg alone when the base already has every library bulwark links (an offline build);
# otherwise apt-get fetches them and completes the installation (-f).
RUN if ! dpkg -i /tmp/bulwark-deb/*.deb; then \
        apt-get update && apt-get install -y -f --no-install-recommends; \
    fi && \
    rm -rf /tmp/bulwark-deb /var/lib/apt/lists/* && \
    groupadd --system --gid 10001 bulwark && \
    useradd --system -l --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin bulwark && \
    install -d -o 10001 -g 10001 /cache /cache/tmp
ENV XDG_CACHE_HOME=/cache TMPDIR=/cache/tmp
VOLUME ["/cache"]
WORKDIR /work
USER 10001:10001
HEALTHCHECK CMD ["bulwark", "--version"]
ENTRYPOINT ["bulwark"]
CMD ["--help"]
