# Breaks every image-configuration rule that a busybox image can show
# (tests/integration/test_image_config.py). Built as bwtest/config-bad
# (tag latest on purpose: BW-IMG-011).
ARG BASE=tiny:1
FROM ${BASE}
# stand-ins for package-manager and sudo commands the history rules read
RUN printf '#!/bin/sh\nexit 0\n' > /bin/apt-get && chmod 755 /bin/apt-get \
 && printf '#!/bin/sh\nexec "$@"\n' > /bin/sudo && chmod 755 /bin/sudo
ENV APP_MODE=production DB_PASSWORD=hunter2-in-env GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
ARG API_TOKEN=tok_5f3a9c2e7b1d8a4f
RUN echo "fetching with a token of ${#API_TOKEN} characters"
RUN apt-get update
RUN sudo apt-get -y dist-upgrade
ADD app/payload.txt /opt/payload.txt
COPY app/id_rsa /root/.ssh/id_rsa
COPY app/server.key /etc/app/server.key
COPY app/npmrc /root/.npmrc
COPY app/dotenv /app/.env
COPY app/bash_history /root/.bash_history
COPY app/git /app/.git
RUN rm /root/.ssh/id_rsa
RUN touch /opt/shared.conf && chmod 666 /opt/shared.conf \
 && mkdir -p /opt/drop && chmod 777 /opt/drop \
 && cp /bin/busybox /opt/suid-tool && chmod 4755 /opt/suid-tool \
 && echo 'toor:x:0:0:second root:/root:/bin/sh' >> /etc/passwd \
 && echo 'app::19000:0:99999:7:::' >> /etc/shadow \
 && mkdir -p /etc/apt/sources.list.d \
 && echo 'deb [trusted=yes] http://repo.example.com/ stable main' > /etc/apt/sources.list.d/example.list \
 && mkdir -p /var/cache/apk && echo index > /var/cache/apk/APKINDEX.0a1b2c3d.tar.gz \
 && mkdir -p /usr/local/bin /root/go/pkg/mod/example.com/m@v1.0.0 \
 && echo 'not a compiler' > /usr/local/bin/gcc && chmod 755 /usr/local/bin/gcc \
 && echo 'module example.com/m' > /root/go/pkg/mod/example.com/m@v1.0.0/go.mod
VOLUME /etc
CMD ["/bin/sh"]
