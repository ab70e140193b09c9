ARG BASE=tiny:1
FROM ${BASE}
LABEL org.opencontainers.image.title="config test" \
      com.example.empty="" \
      com.example.spaces="a value with spaces"
ENV PATH=/usr/local/bin:/usr/bin:/bin APP_MODE=production
ENV QUOTED="a \"quoted\" value"
RUN mkdir -p /srv/app /data /cache && echo cfg > /srv/app/app.conf
EXPOSE 80 443/tcp 53/udp
VOLUME /data
VOLUME ["/cache"]
WORKDIR /srv/app
USER 1000:1000
HEALTHCHECK --interval=15s --timeout=2s --start-period=5s --retries=4 CMD ["/bin/true"]
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo hello"]
