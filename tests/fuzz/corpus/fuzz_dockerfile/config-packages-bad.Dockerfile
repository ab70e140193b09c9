# A Debian image with tools a runtime image does not need (BW-IMG-021) and
# build tools (BW-IMG-022). No network: the packages are declared in the
# dpkg database by hand, as the inventory reads them.
ARG BASE=ref/bookworm:12
FROM ${BASE}
COPY status-extra /tmp/status-extra
RUN cat /tmp/status-extra >> /var/lib/dpkg/status && rm /tmp/status-extra \
 && printf '#!/bin/sh\necho fake make\n' > /usr/bin/make && chmod 755 /usr/bin/make
USER 65534
HEALTHCHECK CMD ["/bin/true"]
