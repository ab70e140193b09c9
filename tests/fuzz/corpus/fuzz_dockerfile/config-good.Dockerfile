# Follows every image-configuration rule (tests/integration/test_image_config.py):
# built as bwtest/config-good:1.0, it must yield no BW-IMG finding at all.
ARG BASE=tiny:1
FROM ${BASE}
RUN printf '#!/bin/sh\nexit 0\n' > /bin/apt-get && chmod 755 /bin/apt-get
ENV APP_MODE=production DB_PASSWORD_FILE=/run/secrets/db_password GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
RUN apt-get update && apt-get install -y --no-install-recommends app
COPY app/payload.txt /opt/payload.txt
COPY app/env.example /app/.env.example
RUN mkdir -p /srv/scratch && chmod 1777 /srv/scratch \
 && echo 'app:x:10001:10001::/app:/bin/false' >> /etc/passwd \
 && echo 'app:x:10001:' >> /etc/group \
 && chown -R 10001:10001 /app
VOLUME /var/lib/app
USER 10001:10001
HEALTHCHECK --interval=30s CMD ["/bin/true"]
CMD ["/bin/sh"]
