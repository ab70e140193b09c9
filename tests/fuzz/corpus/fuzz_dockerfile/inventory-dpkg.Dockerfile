# dpkg edge cases on a real Debian: a package added in a later layer (its layer
# must be this one, the others the base's), a removed package's leftover
# config-files stanza, a half-installed one, and Source: with
# its own version. Built by tests/integration/test_inventory.py.
ARG BASE=ref/bookworm:12
FROM ${BASE}
COPY extra-status /tmp/extra-status
RUN cat /tmp/extra-status >> /var/lib/dpkg/status && rm /tmp/extra-status && \
    mkdir -p /usr/share/bw-fake && echo hi > /usr/share/bw-fake/README && \
    printf '/.\n/usr/share/bw-fake\n/usr/share/bw-fake/README\n' > /var/lib/dpkg/info/bw-fake.list
