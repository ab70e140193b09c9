ARG BASE=tiny:1
FROM ${BASE}
RUN mkdir -p /data/keep /data/gone/sub /data/recreated/inner /data/dir-then-file && \
    echo a > /data/keep/a && echo b > /data/gone/b && echo s > /data/gone/sub/s && \
    echo c > /data/recreated/c && echo old > /data/recreated/inner/old && \
    echo f > /data/file-then-dir && echo x > /data/dir-then-file/x && \
    echo del > /data/deleted-file && echo back > /data/deleted-then-back && \
    echo mode > /data/mode-change && chmod 644 /data/mode-change
RUN rm -rf /data/gone /data/deleted-file /data/deleted-then-back /data/recreated && \
    mkdir -p /data/recreated && echo new > /data/recreated/new
RUN rm /data/file-then-dir && mkdir /data/file-then-dir && echo in > /data/file-then-dir/in && \
    rm -rf /data/dir-then-file && echo now-a-file > /data/dir-then-file
RUN echo back-again > /data/deleted-then-back && chmod 600 /data/mode-change && chown 7:7 /data/mode-change
RUN rm -f /bin/vi /etc/group && echo 'root:x:0:' > /etc/group
