# A Debian runtime image that follows every image-configuration rule:
# caches removed, setuid/setgid bits dropped, an unprivileged user, a
# health check. It must yield no BW-IMG finding.
ARG BASE=ref/bookworm:12
FROM ${BASE}
RUN rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb \
 && find / -xdev -perm /6000 -type f -exec chmod a-s {} + \
 && useradd -r -u 10001 -d /app -s /usr/sbin/nologin app
USER 10001
HEALTHCHECK --interval=30s CMD ["/bin/true"]
CMD ["/bin/bash"]
