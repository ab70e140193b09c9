ARG BASE=tiny:1
FROM ${BASE}
RUN mkdir -p /opt/links/dir && cd /opt/links && \
    echo target > target && echo in-dir > dir/file && \
    ln -s target rel && ln -s /opt/links/target abs && ln -s ../links/./target dotted && \
    ln -s does-not-exist dangling && ln -s /nowhere/at/all dangling-abs && \
    ln -s dir dirlink && ln -s rel chain && \
    ln -s loop-b loop-a && ln -s loop-a loop-b && ln -s self self && \
    ln -s ../../../../../../etc/passwd escaping && \
    echo shared > hard-src && ln hard-src hard-1 && ln hard-src dir/hard-2 && \
    chmod 4755 hard-src
RUN cd /opt/links && ln target hard-later && ln -sf abs rel && rm dangling-abs
