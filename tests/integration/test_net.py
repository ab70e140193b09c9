"""bulwark net: the reachability graph of compose projects, Kubernetes NetworkPolicies
and a live engine; findings and lateral paths; the HTML picture checked in headless
Chromium; nftables enforcement checked with real connections between network
namespaces and veth pairs this test creates."""
import json
import os
import shutil
import subprocess
import uuid

import pytest

STACK = """\
services:
  proxy:
    image: nginx:1.27
    ports: ["80:80", "127.0.0.1:8443:443"]
    networks: [front]
  app:
    image: shop/app:1.0
    expose: ["8080"]
    networks: [front, back]
  db:
    image: postgres:16
    networks: [back]
  cache:
    image: redis:7
    networks: [back]
  admin:
    image: adminer:4
    ports: ["8081:8080"]
    networks: [back]
  sidecar:
    image: envoy:1.30
    network_mode: "service:app"
networks:
  front: {}
  back: {internal: true}
"""


def graph(bulwark, *paths):
    g = bulwark.json(["net", "graph", "--graph", "json", *paths])
    names = {n["id"]: n["name"] for n in g["nodes"]}
    edges = {(names[e["from"]], names[e["to"]]): e["ports"] for e in g["edges"]}
    return g, edges


def test_compose_graph_findings_and_paths(bulwark, tmp_path):
    f = tmp_path / "compose.yaml"
    f.write_text(STACK)
    g, edges = graph(bulwark, f)
    assert g["schema"] == "bulwark.netgraph/v1" and g["source"] == "compose"
    assert edges[("internet", "proxy")] == "80/tcp"
    assert edges[("host (loopback)", "proxy")] == "443/tcp"
    assert edges[("proxy", "app")] == "8080/tcp" and ("proxy", "db") not in edges
    assert ("app", "db") in edges and ("db", "cache") in edges
    assert not any(a == "internet" and b == "admin" for a, b in edges)  # published on an internal network only
    assert edges[("sidecar", "app")] == "any" and edges[("app", "sidecar")] == "any"
    stores = {n["name"] for n in g["nodes"] if n["datastore"]}
    assert stores == {"db", "cache"}
    paths = [[h["node"].split("/")[-1] for h in p["hops"]] for p in g["paths"]]
    assert ["internet", "proxy", "app", "db"] in paths and ["internet", "proxy", "app", "cache"] in paths
    ids = {(x["id"], x.get("line")) for x in g["findings"]}
    assert ("BW-NET-004", 6) in ids  # app bridges front and back
    assert ("BW-NET-005", 2) in ids
    assert ("BW-NET-009", 10) in ids
    rep = bulwark.json(["net", "graph", "-f", "json", f])
    lateral = [x for x in rep["findings"] if x["id"] == "BW-NET-009"]
    assert "internet -[80/tcp]-> proxy -[8080/tcp]-> app -[any]-> db" in [x["evidence"] for x in lateral]


def test_flat_project_and_published_datastore(bulwark, tmp_path):
    f = tmp_path / "compose.yaml"
    f.write_text("services:\n  web: {image: 'nginx:1', ports: ['8080:80']}\n  worker: {image: 'app:1'}\n"
                 "  db: {image: 'mysql:8', ports: ['3306:3306']}\n")
    rep = bulwark.json(["net", "graph", "-f", "json", f])
    by = {}
    for x in rep["findings"]:
        by.setdefault(x["id"], []).append(x)
    assert by["BW-NET-001"][0]["evidence"].startswith("all 3 workloads of ")
    assert by["BW-NET-003"][0]["location"]["line"] == 4
    assert any("internet-facing web reaches datastore db" in x["evidence"] for x in by["BW-NET-002"])


NETPOL = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ops, labels: {team: ops}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 8080, name: http}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api, tier: back}}
    spec:
      containers: [{name: api, image: "shop/api:1", ports: [{containerPort: 9000, name: grpc}]}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: pg, image: "postgres:16", ports: [{containerPort: 5432}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: monitor, namespace: ops}
spec:
  template:
    metadata: {labels: {app: monitor}}
    spec:
      containers: [{name: m, image: "prom/prometheus:2"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: ops}
spec:
  template:
    metadata: {labels: {app: batch, canary: "yes"}}
    spec:
      containers: [{name: b, image: "batch:1"}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: ClusterIP, selector: {app: web}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix,
          backend: {service: {name: web, port: {number: 80}}}}]}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-outside, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}], ports: [{port: http}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-front-and-monitoring, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: tier, operator: In, values: [back]}, {key: app, operator: Exists}]}
  ingress:
    - from: [{podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [back]}, {key: canary, operator: DoesNotExist}]}}]
      ports: [{port: grpc, protocol: TCP}]
    - from: [{namespaceSelector: {matchLabels: {team: ops}}, podSelector: {matchLabels: {app: monitor}}}]
      ports: [{port: 9000, endPort: 9100}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: api}}}]
      ports: [{port: 5432}]
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]
      ports: [{port: 5432}]
    - from: []
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: batch-no-egress, namespace: ops}
spec:
  podSelector: {matchLabels: {app: batch}}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {app: nothing-has-this}}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad-operator, namespace: ops}
spec:
  podSelector: {matchExpressions: [{key: app, operator: Sometimes, values: [monitor]}]}
  ingress: []
"""


def test_network_policies_every_selector_form(bulwark, tmp_path):
    f = tmp_path / "k8s.yaml"
    f.write_text(NETPOL)
    g, edges = graph(bulwark, f)
    want = {
        ("internet", "shop/web"): "8080/tcp",  # Ingress -> Service -> named port; ipBlock lets it in
        ("shop/web", "shop/api"): "9000/tcp",  # tier NotIn [back], canary DoesNotExist
        ("shop/db", "shop/api"): "9000/tcp",  # NotIn matches a pod without the key
        ("ops/monitor", "shop/api"): "9000-9100/tcp",  # namespaceSelector AND podSelector
        ("shop/api", "shop/db"): "5432/tcp",
        ("ops/monitor", "shop/db"): "5432/tcp",  # kubernetes.io/metadata.name
        ("ops/batch", "ops/monitor"): None,  # batch may not open anything (egress)
        ("ops/monitor", "ops/batch"): "any",  # ops has no ingress isolation (bad operator selects nothing)
        ("shop/db", "ops/monitor"): "any",
    }
    for (a, b), ports in want.items():
        if ports is None:
            assert (a, b) not in edges, (a, b)
        else:
            assert edges.get((a, b)) == ports, ((a, b), edges.get((a, b)))
    # default deny in shop: nothing else reaches web, api or db
    for (a, b) in edges:
        if b in ("shop/web", "shop/api", "shop/db"):
            assert (a, b) in want, (a, b)
    assert not any(a == "ops/batch" for a, b in edges)
    paths = [[h["node"] for h in p["hops"]] for p in g["paths"]]
    assert ["internet", "k8s:shop/Deployment/web", "k8s:shop/Deployment/api", "k8s:shop/StatefulSet/db"] in paths
    ids = {x["id"] for x in g["findings"]}
    assert "BW-NET-007" in ids  # ops has no default deny
    assert [x for x in g["findings"] if x["id"] == "BW-NET-007"][0]["evidence"].startswith("namespace ops ")


def test_html_picture_in_headless_chromium(bulwark, tmp_path):
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian's chromium is not installed (scripts/install-deps.sh)")
    (tmp_path / "compose.yaml").write_text(STACK)
    (tmp_path / "k8s.yaml").write_text(NETPOL)
    html = tmp_path / "graph.html"
    rc, out, err = bulwark.run(["net", "graph", "--graph", "html", "-o", html, tmp_path])
    assert rc == 0, err
    text = html.read_text()
    assert "<script src" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    g, edges = graph(bulwark, tmp_path)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", html.as_uri()], capture_output=True, timeout=120)
    page = dom.stdout.decode()
    # the page's own script measured the boxes the browser laid out
    assert f'<p id="layout-check">ok nodes={len(g["nodes"])} edges={len(g["edges"])}</p>' in page, page[-600:]
    assert page.count('class="node"') == len(g["nodes"])
    shot = tmp_path / "graph.png"
    subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1400,1000", html.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.stat().st_size > 10000


def test_dot_and_svg_are_well_formed(bulwark, tmp_path):
    import xml.dom.minidom
    f = tmp_path / "compose.yaml"
    f.write_text(STACK.replace("shop/app:1.0", "shop/app:1.0\n    labels: {x: '<b>&\"'}"))
    rc, svg, err = bulwark.run(["net", "graph", "--graph", "svg", f])
    assert rc == 0, err
    doc = xml.dom.minidom.parseString(svg.encode())
    assert len([g for g in doc.getElementsByTagName("g") if g.getAttribute("class") == "node"]) == 8  # six services, the outside world, the loopback
    rc, dot, err = bulwark.run(["net", "graph", "--graph", "dot", f])
    assert rc == 0 and dot.startswith("digraph bulwark {") and dot.rstrip().endswith("}")
    if shutil.which("dot"):
        assert subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True).returncode == 0


def test_engine_graph_of_internal_networks(bulwark, docker, tiny_image, tmp_path):
    tag = f"bwtest-net/postgres:16-{uuid.uuid4().hex[:6]}"
    docker.cli("tag", tiny_image, tag)
    run = uuid.uuid4().hex[:8]
    nets = [f"bwnet-a-{run}", f"bwnet-b-{run}", f"bwnet-q-{run}"]
    ctrs = []
    try:
        docker.cli("network", "create", "--internal", nets[0])
        docker.cli("network", "create", "--internal", nets[1])
        docker.cli("network", "create", "--internal", "-o", "com.docker.network.bridge.enable_icc=false", nets[2])

        def start(name, image, net):
            full = f"{name}-{run}"
            docker.cli("run", "-d", "--name", full, "--network", net, image, "sleep", "300")
            ctrs.append(full)
            return full

        a = start("front", tiny_image, nets[0])
        b = start("bridge", tiny_image, nets[0])
        docker.cli("network", "connect", nets[1], b)
        c = start("store", tag, nets[1])
        q1 = start("quiet1", tiny_image, nets[2])
        q2 = start("quiet2", tiny_image, nets[2])
        ql = f"linker-{run}"
        docker.cli("run", "-d", "--name", ql, "--network", nets[2], "--link", f"{q1}:db", tiny_image, "sleep", "300")
        ctrs.append(ql)
        g = bulwark.json(["net", "graph", "--engine", "--graph", "json"],
                         env={"DOCKER_HOST": docker.host})
        names = {n["id"]: n["name"] for n in g["nodes"]}
        edges = {(names[e["from"]], names[e["to"]]) for e in g["edges"]}
        assert (a, b) in edges and (b, a) in edges and (b, c) in edges and (c, b) in edges
        assert (a, c) not in edges and (c, a) not in edges
        assert (q1, q2) not in edges and (q2, q1) not in edges  # icc off
        assert (ql, q1) in edges and (q1, ql) not in edges  # --link: one way
        via = {(names[e["from"]], names[e["to"]]): e.get("via") for e in g["edges"]}
        assert via[(ql, q1)] == "link"
        node = {n["name"]: n for n in g["nodes"]}
        assert node[c]["datastore"] and not node[a]["datastore"]
        assert sorted(node[b]["networks"]) == sorted(nets[:2])
        bridges = [x for x in g["findings"] if x["id"] == "BW-NET-004" and b in x["evidence"]]
        assert bridges
    finally:
        for c in ctrs:
            docker.cli("rm", "-f", c, check=False)
        for n in nets:
            docker.cli("network", "rm", n, check=False)
        docker.cli("rmi", tag, check=False)


# ---- nftables enforcement between network namespaces -----------------------------

SERVER = """
import socket, sys, time
socks = []
for port in map(int, sys.argv[1:]):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(16); s.setblocking(False); socks.append(s)
end = time.time() + 120
while time.time() < end:
    for s in socks:
        try:
            c, _ = s.accept(); c.close()
        except BlockingIOError:
            pass
    time.sleep(0.01)
"""

CLIENT = """
import socket, sys
s = socket.socket(); s.settimeout(5)
try:
    s.connect((sys.argv[1], int(sys.argv[2]))); print("connected")
except ConnectionRefusedError:
    print("refused")
except OSError as e:
    print("error", e)
"""


def _sh(*args, check=True):
    return subprocess.run(args, capture_output=True, text=True, check=check)


@pytest.fixture
def netns_lab():
    if os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("nft"):
        pytest.skip("needs root, ip (iproute2) and nft (nftables)")
    tag = uuid.uuid4().hex[:6]
    ns = {k: f"bw{k}{tag}" for k in ("r", "web", "db", "other")}
    subnets = {"web": 1, "db": 2, "other": 3}
    created = []
    try:
        for n in ns.values():
            _sh("ip", "netns", "add", n)
            created.append(n)
        _sh("ip", "netns", "exec", ns["r"], "sysctl", "-qw", "net.ipv4.ip_forward=1")
        _sh("ip", "-n", ns["r"], "link", "set", "lo", "up")
        for k, i in subnets.items():
            a, b = f"bw{i}a{tag}", f"bw{i}b{tag}"
            _sh("ip", "link", "add", a, "netns", ns["r"], "type", "veth", "peer", "name", b, "netns", ns[k])
            _sh("ip", "-n", ns["r"], "addr", "add", f"10.77.{i}.1/24", "dev", a)
            _sh("ip", "-n", ns["r"], "link", "set", a, "up")
            _sh("ip", "-n", ns[k], "addr", "add", f"10.77.{i}.2/24", "dev", b)
            _sh("ip", "-n", ns[k], "link", "set", b, "up")
            _sh("ip", "-n", ns[k], "link", "set", "lo", "up")
            _sh("ip", "-n", ns[k], "route", "add", "default", "via", f"10.77.{i}.1")
        yield ns
    finally:
        for n in created:
            _sh("ip", "netns", "pids", n, check=False)
            pids = _sh("ip", "netns", "pids", n, check=False).stdout.split()
            for p in pids:
                _sh("kill", p, check=False)
            _sh("ip", "netns", "del", n, check=False)


def _connect(ns, addr, port):
    return _sh("ip", "netns", "exec", ns, "/usr/bin/python3", "-c", CLIENT, addr, str(port)).stdout.strip()


def test_enforce_allows_only_the_intended_edges(bulwark, tmp_path, netns_lab):
    ns = netns_lab
    intended = tmp_path / "intended.yaml"
    intended.write_text("workloads:\n  web: {address: 10.77.1.2}\n  db: {address: 10.77.2.2}\n"
                        "  other: {addresses: [10.77.3.2]}\n"
                        "allow:\n  - {from: web, to: db, port: 5432, proto: tcp}\n"
                        "  - {from: internet, to: web, port: 80}\n")
    server = subprocess.Popen(["ip", "netns", "exec", ns["db"], "/usr/bin/python3", "-c", SERVER, "5432", "22"])
    web = subprocess.Popen(["ip", "netns", "exec", ns["web"], "/usr/bin/python3", "-c", SERVER, "80", "8080"])
    try:
        import time
        for _ in range(100):
            if _connect(ns["web"], "10.77.2.2", 5432) == "connected":
                break
            time.sleep(0.05)
        # before: everything connects (the test can fail)
        assert _connect(ns["other"], "10.77.2.2", 5432) == "connected"
        assert _connect(ns["web"], "10.77.2.2", 22) == "connected"
        rules = tmp_path / "rules.nft"
        rc, out, err = bulwark.run(["net", "enforce", "--intended", intended, "-o", rules])
        assert rc == 0, err
        text = rules.read_text()
        assert "ip saddr { 10.77.1.2 } ip daddr { 10.77.2.2 } tcp dport 5432 accept" in text
        p = _sh("ip", "netns", "exec", ns["r"], "nft", "-f", str(rules), check=False)
        assert p.returncode == 0, p.stderr
        assert _connect(ns["web"], "10.77.2.2", 5432) == "connected"
        assert _connect(ns["other"], "10.77.2.2", 5432) == "refused"
        assert _connect(ns["web"], "10.77.2.2", 22) == "refused"
        assert _connect(ns["other"], "10.77.1.2", 80) == "connected"  # internet -> web:80
        assert _connect(ns["other"], "10.77.1.2", 8080) == "refused"
        assert _connect(ns["db"], "10.77.1.2", 80) == "connected"
        # loading it again replaces the table (no duplicate rules)
        assert _sh("ip", "netns", "exec", ns["r"], "nft", "-f", str(rules), check=False).returncode == 0
        listing = _sh("ip", "netns", "exec", ns["r"], "nft", "list", "table", "inet", "bulwark").stdout
        assert listing.count("tcp dport 5432 accept") == 2  # forward and input, once each
    finally:
        server.kill()
        web.kill()
        server.wait()
        web.wait()


def test_enforce_rejects_bad_intended_files(bulwark, tmp_path):
    f = tmp_path / "bad.yaml"
    for text, msg in [
        ("workloads: {web: {address: 10.0.0.300}}\n", "bad.yaml:1:28: not an IP address"),
        ("workloads: {web: {address: 10.0.0.1}}\nallow: [{from: web, to: db}]\n", "bad.yaml:2:9: to: names no workload"),
        ("workloads: {web: {address: 10.0.0.1}}\nallow: [{from: x, to: web}]\n", "from: names no workload"),
        ("workloads: {web: {address: 10.0.0.1}}\nallow: [{from: internet, to: web, port: 99999}]\n", "port:"),
        ("allow: []\n", "no workloads"),
    ]:
        f.write_text(text)
        rc, out, err = bulwark.run(["net", "enforce", "--intended", f])
        assert rc == 2 and msg in err, (text, err)
