# Secrets left behind in layers and in the image configuration (test_secret.py).
# Values are fake and assembled from pieces at build time, so this file holds
# no token-shaped string.
ARG BASE=tiny:1
FROM ${BASE}
ARG NPM_TOKEN
ARG DB_PASSWORD
ARG SERVICE_TOKEN
# layer 1: a key added ...
RUN mkdir -p /app && printf '[default]\naws_access_key_id = %s%s\n' 'AKIA' 'FAKEDELETEDLAYER' > /app/credentials && \
    printf 'GITHUB_TOKEN=%s%s\n' 'ghp_' 'FAKEkeptkeptkeptkeptkeptkeptkeptkept' > /app/kept.env && \
    printf 'stripe=%s%s\n' 'sk_live_' 'FAKEreplacedreplacedrepl' > /app/replaced.conf
# layer 2: ... deleted in the next one, and a file replaced by a clean one
RUN rm /app/credentials && echo 'stripe=none' > /app/replaced.conf
# build arguments used by RUN are recorded in the history (legacy builder: "|3 NPM_TOKEN=...")
RUN test -n "$NPM_TOKEN" && test -n "$DB_PASSWORD" && echo configured > /app/state
ENV SERVICE_TOKEN=${SERVICE_TOKEN}
LABEL org.fake.note="built for bulwark tests"
