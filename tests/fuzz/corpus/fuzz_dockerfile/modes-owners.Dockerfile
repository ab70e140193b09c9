ARG BASE=tiny:1
FROM ${BASE}
RUN mkdir -p /opt/m && cd /opt/m && \
    echo s > setuid && chmod 4755 setuid && \
    echo g > setgid && chmod 2755 setgid && \
    echo ug > setuid-setgid && chmod 6711 setuid-setgid && \
    mkdir sticky && chmod 1777 sticky && \
    mkdir setgid-dir && chmod 2775 setgid-dir && \
    echo z > mode-000 && chmod 000 mode-000 && \
    echo w > world-writable && chmod 666 world-writable && \
    echo 1 > owner-1000 && chown 1000:1000 owner-1000 && \
    echo 2 > owner-nobody && chown 65534:65534 owner-nobody && \
    echo 3 > owner-mixed && chown 123:456 owner-mixed && \
    echo 4 > owner-big && chown 3000000000:3000000001 owner-big && \
    mkdir owned-dir && chown 42:43 owned-dir && chmod 750 owned-dir && \
    mkdir empty-dir && \
    mkfifo fifo && chmod 620 fifo && \
    mknod chardev c 1 3 && mknod blockdev b 7 0
RUN mkdir -p /opt/names && cd /opt/names && \
    echo sp > 'with space' && echo u > 'café ünïcode' && echo j > '日本語.txt' && \
    echo q > "quote'and\"double" && echo b > 'back\slash' && echo d > -leading-dash && \
    echo n > "$(printf 'new\nline')" && echo t > "$(printf 'tab\there')" && \
    mkdir ' lead and trail ' && echo e > ' lead and trail /x' && \
    L=$(printf 'l%.0s' $(seq 1 150)) && echo long > "$L" && \
    D=/opt/names/deep/$(printf 'd%.0s' $(seq 1 60)) && \
    mkdir -p "$D/$L/$L" && echo deep > "$D/$L/$L/file"
COPY --chown=2000:3000 copied.txt /opt/copied/copied.txt
