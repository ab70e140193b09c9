#!/usr/bin/env python3
"""Generate one manifest file of W workloads and P NetworkPolicies for the net graph
benchmark: W Deployments spread over 20 namespaces (labels app, tier, team), a Service
each (one in ten a LoadBalancer), an Ingress per namespace, and P policies — a default
deny per namespace, then policies selecting by matchLabels and matchExpressions, with
podSelector, namespaceSelector, both, and ipBlock peers and port lists. Deterministic.
usage: gen.py FILE W P"""
import random
import sys


def main():
    path, w, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    r = random.Random(42)
    nss = [f"ns{i}" for i in range(20)]
    tiers = ["front", "back", "data", "batch"]
    images = ["nginx:1.27", "shop/api:1", "postgres:16", "redis:7", "worker:3", "mongo:7"]
    docs = []
    for ns in nss:
        docs.append(f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}, labels: {{team: t{r.randrange(5)}}}}}")
    for i in range(w):
        ns = nss[i % len(nss)]
        tier = r.choice(tiers)
        img = r.choice(images)
        docs.append(
            "apiVersion: apps/v1\nkind: Deployment\n"
            f"metadata: {{name: w{i}, namespace: {ns}}}\n"
            "spec:\n  template:\n"
            f"    metadata: {{labels: {{app: w{i}, tier: {tier}, group: g{i % 50}}}}}\n"
            "    spec:\n"
            f"      containers: [{{name: c, image: '{img}', ports: [{{containerPort: {8000 + i % 7}, name: http}}]}}]")
        kind = "LoadBalancer" if i % 10 == 0 else "ClusterIP"
        docs.append(f"apiVersion: v1\nkind: Service\nmetadata: {{name: w{i}, namespace: {ns}}}\n"
                    f"spec: {{type: {kind}, selector: {{app: w{i}}}, ports: [{{port: 80, targetPort: http}}]}}")
    for k, ns in enumerate(nss):
        docs.append(f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: in, namespace: {ns}}}\n"
                    f"spec: {{rules: [{{http: {{paths: [{{path: /, pathType: Prefix, backend: {{service: "
                    f"{{name: w{k}, port: {{number: 80}}}}}}}}]}}}}]}}")
    n = 0
    for ns in nss:
        if n < p:
            docs.append(f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: deny, namespace: {ns}}}\n"
                        "spec: {podSelector: {}, policyTypes: [Ingress]}")
            n += 1
    while n < p:
        ns = r.choice(nss)
        target = r.choice([f"{{matchLabels: {{app: w{r.randrange(w)}}}}}",
                           f"{{matchLabels: {{tier: {r.choice(tiers)}}}}}",
                           f"{{matchExpressions: [{{key: group, operator: In, values: [g{r.randrange(50)}, g{r.randrange(50)}]}}]}}"])
        peer = r.choice([f"{{podSelector: {{matchLabels: {{tier: {r.choice(tiers)}}}}}}}",
                         f"{{namespaceSelector: {{matchLabels: {{team: t{r.randrange(5)}}}}}}}",
                         f"{{namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: {r.choice(nss)}}}}}, "
                         f"podSelector: {{matchExpressions: [{{key: tier, operator: NotIn, values: [batch]}}]}}}}",
                         "{ipBlock: {cidr: 0.0.0.0/0}}"])
        ports = r.choice(["[{port: 8000}]", "[{port: http}]", "[{port: 8000, endPort: 8006}]", "[]"])
        docs.append(f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p{n}, namespace: {ns}}}\n"
                    f"spec:\n  podSelector: {target}\n  ingress: [{{from: [{peer}], ports: {ports}}}]")
        n += 1
    with open(path, "w") as f:
        f.write("\n---\n".join(docs) + "\n")


if __name__ == "__main__":
    main()
