ARG BASE=tiny:1
FROM ${BASE} AS builder
RUN mkdir -p /out/bin /out/share && echo '#!/bin/sh' > /out/bin/tool && echo 'echo tool' >> /out/bin/tool && \
    chmod 755 /out/bin/tool && echo data > /out/share/data && echo secret > /build-only-secret
RUN ln -s tool /out/bin/tool-alias

FROM ${BASE}
COPY --from=builder /out /app
COPY --from=builder --chown=1000:1000 /out/share/data /home/app/data
RUN chmod 4755 /app/bin/tool
