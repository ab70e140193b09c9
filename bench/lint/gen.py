#!/usr/bin/env python3
"""Generate N realistic Dockerfiles (deterministic): gen.py DIR [N]."""
import pathlib
import random
import sys

BASES = ["debian:12", "debian:latest", "ubuntu:22.04", "alpine:3.20", "python:3.12-slim", "node:20",
         "golang:1.22", "centos:7", "fedora:40", "nginx", "registry.example.com/base/app:1.4"]
PKGS = ["curl", "git", "ca-certificates", "build-essential", "libssl-dev", "vim", "wget", "jq", "unzip"]


def runs(rnd, base):
    out = []
    if base.startswith(("debian", "ubuntu", "python", "node", "golang", "nginx", "registry")):
        pk = " ".join(rnd.sample(PKGS, rnd.randint(1, 5)))
        if rnd.random() < 0.5:
            pk = " ".join(p + "=1.0-1" for p in pk.split())
        y = "-y " if rnd.random() < 0.8 else ""
        nr = "--no-install-recommends " if rnd.random() < 0.6 else ""
        clean = " && rm -rf /var/lib/apt/lists/*" if rnd.random() < 0.6 else ""
        out.append(f"RUN apt-get update && \\\n    apt-get install {y}{nr}{pk}{clean}")
    elif base.startswith("alpine"):
        out.append(f"RUN apk add {'--no-cache ' if rnd.random() < .6 else ''}" + " ".join(rnd.sample(PKGS, 3)))
    else:
        out.append("RUN yum install -y httpd && yum clean all" if base.startswith("centos") else
                   "RUN dnf install -y httpd-2.4.62")
    if rnd.random() < 0.3:
        out.append("RUN curl -fsSL https://example.com/install.sh | sh")
    if rnd.random() < 0.4:
        out.append("RUN cd /tmp && wget https://example.com/a.tar.gz && tar -xzf a.tar.gz && make -C a install")
    if rnd.random() < 0.3:
        out.append("RUN pip install flask requests==2.32.3")
    if rnd.random() < 0.2:
        out.append("RUN <<EOF\nset -e\nnpm install -g typescript\nchown -R app:app /app\nEOF")
    return out


def dockerfile(rnd):
    lines = ["# syntax=docker/dockerfile:1"]
    multi = rnd.random() < 0.4
    if multi:
        lines += ["ARG GO=1.22", "FROM golang:${GO} AS build", "WORKDIR /src", "COPY . .",
                  "RUN go build -o /out/app ./cmd/app"]
    base = rnd.choice(BASES)
    lines.append(f"FROM {base}")
    if rnd.random() < 0.2:
        lines.append("MAINTAINER dev@example.com")
    lines.append("LABEL org.opencontainers.image.source=https://example.com/repo version=1.0")
    lines.append("ENV APP_HOME=/app PATH=/app/bin:$PATH")
    lines += runs(rnd, base)
    lines.append(rnd.choice(["WORKDIR /app", "WORKDIR app"]))
    lines.append(rnd.choice(["COPY . /app/", "ADD . /app/", "COPY --chown=app:app src /app/src"]))
    if multi:
        lines.append("COPY --from=build /out/app /usr/local/bin/app")
    if rnd.random() < 0.3:
        lines.append("ARG NPM_TOKEN")
    lines.append("EXPOSE " + rnd.choice(["8080", "80 443", "22", "8080/tcp"]))
    if rnd.random() < 0.7:
        lines.append("USER app")
    if rnd.random() < 0.4:
        lines.append('HEALTHCHECK --interval=30s CMD ["curl", "-f", "http://localhost:8080/health"]')
    lines.append(rnd.choice(['CMD ["app", "--serve"]', "CMD app --serve", 'ENTRYPOINT ["app"]']))
    return "\n".join(lines) + "\n"


def main():
    out = pathlib.Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    rnd = random.Random(42)
    for i in range(n):
        d = out / f"{i:05d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / "Dockerfile").write_text(dockerfile(rnd))


if __name__ == "__main__":
    main()
