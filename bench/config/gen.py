#!/usr/bin/env python3
"""Generate N Kubernetes manifests for the config benchmark: one file each, a mix of
Deployments, StatefulSets, DaemonSets, CronJobs, Pods (2-4 containers, init containers,
probes, resources, security contexts good and bad, env with and without secrets,
hostPath volumes), each with a Service, some with an Ingress, a NetworkPolicy or RBAC.
Deterministic (seed 42).   usage: gen.py DIR N"""
import os
import random
import sys

KINDS = [("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("apps/v1", "DaemonSet"),
         ("batch/v1", "CronJob"), ("v1", "Pod")]
IMAGES = ["nginx:1.27", "nginx", "postgres:16", "redis:latest", "registry.corp.example/app:2.3.1",
          "quay.io/prometheus/node-exporter:v1.8.0", "busybox@sha256:" + "ab" * 32, "python:3.12-slim"]


def container(r, i):
    lines = [f"- name: c{i}", f"  image: {r.choice(IMAGES)}"]
    if r.random() < 0.7:
        lines += ["  ports:", f"    - containerPort: {r.choice([80, 8080, 5432, 6379, 9000])}", "      name: main"]
    if r.random() < 0.6:
        lines += ["  resources:", "    limits: {cpu: 500m, memory: 256Mi}", "    requests: {cpu: 100m, memory: 128Mi}"]
    if r.random() < 0.5:
        lines += ["  livenessProbe: {httpGet: {path: /healthz, port: 8080}}",
                  "  readinessProbe: {httpGet: {path: /ready, port: 8080}}"]
    sc = []
    hardened = r.random() < 0.5
    if hardened:
        sc += ["    allowPrivilegeEscalation: false", "    readOnlyRootFilesystem: true", "    runAsNonRoot: true"]
    if r.random() < 0.1:
        sc += ["    privileged: true"]
    add = r.random() < 0.1
    if hardened or add:
        sc += ["    capabilities: {" + ", ".join((["drop: [ALL]"] if hardened else []) +
                                                  (["add: [NET_ADMIN, SYS_TIME]"] if add else [])) + "}"]
    if sc:
        lines += ["  securityContext:"] + sc
    if r.random() < 0.5:
        lines += ["  env:", "    - name: LOG_LEVEL", "      value: info"]
        if r.random() < 0.3:
            lines += ["    - name: DB_PASSWORD", f"      value: s3cr3t-{r.randrange(10**6)}-Xy"]
        lines += ["    - name: DATABASE_URL", "      value: postgres://app@db:5432/app"]
    return lines


def manifest(r, n):
    api, kind = r.choice(KINDS)
    name = f"app{n}"
    ns = f"team{n % 40}"
    ctrs = []
    for i in range(r.randint(1, 3)):
        ctrs += container(r, i)
    pod = ["hostNetwork: true"] if r.random() < 0.05 else []
    if r.random() < 0.1:
        pod += ["volumes:", "  - name: sock", "    hostPath: {path: /var/run/docker.sock}"]
    pod += ["containers:"] + ["  " + l for l in ctrs]
    if r.random() < 0.3:
        pod += ["initContainers:"] + ["  " + l for l in container(r, 9)]
    meta = [f"  name: {name}"] + ([f"  namespace: {ns}"] if r.random() < 0.8 else [])
    labels = f"{{app: {name}, tier: {r.choice(['front', 'back', 'data'])}}}"
    out = [f"apiVersion: {api}", f"kind: {kind}", "metadata:"] + meta
    if kind == "Pod":
        out += [f"  labels: {labels}", "spec:"] + ["  " + l for l in pod]
    elif kind == "CronJob":
        out += ["spec:", "  schedule: '*/5 * * * *'", "  jobTemplate:", "    spec:", "      template:",
                f"        metadata: {{labels: {labels}}}", "        spec:"] + ["          " + l for l in pod]
    else:
        out += ["spec:", f"  selector: {{matchLabels: {{app: {name}}}}}", "  template:",
                f"    metadata: {{labels: {labels}}}", "    spec:"] + ["      " + l for l in pod]
    docs = ["\n".join(out)]
    docs.append("\n".join(["apiVersion: v1", "kind: Service", f"metadata: {{name: {name}, namespace: {ns}}}",
                           "spec:", f"  type: {r.choice(['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer'])}",
                           f"  selector: {{app: {name}}}", "  ports: [{port: 80, targetPort: main}]"]))
    if r.random() < 0.3:
        docs.append("\n".join(["apiVersion: networking.k8s.io/v1", "kind: NetworkPolicy",
                               f"metadata: {{name: {name}, namespace: {ns}}}", "spec:",
                               f"  podSelector: {{matchLabels: {{app: {name}}}}}",
                               "  ingress: [{from: [{podSelector: {matchLabels: {tier: front}}}], ports: [{port: 8080}]}]"]))
    if r.random() < 0.2:
        docs.append("\n".join(["apiVersion: networking.k8s.io/v1", "kind: Ingress",
                               f"metadata: {{name: {name}, namespace: {ns}}}", "spec:",
                               f"  rules: [{{host: {name}.example.com, http: {{paths: [{{path: /, pathType: Prefix, "
                               f"backend: {{service: {{name: {name}, port: {{number: 80}}}}}}}}]}}}}]"]))
    if r.random() < 0.1:
        docs.append("\n".join(["apiVersion: rbac.authorization.k8s.io/v1", "kind: Role",
                               f"metadata: {{name: {name}, namespace: {ns}}}",
                               "rules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]"]))
    return "\n---\n".join(docs) + "\n"


def main():
    d, n = sys.argv[1], int(sys.argv[2])
    r = random.Random(42)
    for i in range(n):
        sub = os.path.join(d, f"{i // 1000:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"app{i:05d}.yaml"), "w") as f:
            f.write(manifest(r, i))


if __name__ == "__main__":
    main()
