ARG BASE=ref/bookworm:12
FROM ${BASE}
RUN useradd -u 1001 -m -s /bin/bash svc && \
    rm -rf /usr/share/doc/* /usr/share/man/* /var/cache/debconf/*-old && \
    chmod u+s /usr/bin/env && mkdir -p /srv/svc && chown svc:svc /srv/svc
COPY app.sh /srv/svc/app.sh
USER svc
WORKDIR /srv/svc
ENV LANG=C.UTF-8
CMD ["/bin/bash", "/srv/svc/app.sh"]
