"""bulwark config --fix: the hardened file is the original text edited at the keys'
positions (comments, key order, quoting and blank lines kept), the fixed file passes
every fixable rule, fixing twice changes nothing, and --diff is a unified diff that GNU
patch applies to give the same bytes."""
import json
import shutil
import subprocess

MANIFEST = """\
# the shop's front end
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # keep this comment
  namespace: shop
spec:
  replicas: 2

  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: true
      containers:
        - name: app          # the app
          image: "nginx:1.27"
          securityContext:
            privileged: true
            runAsNonRoot: false
        - name: sidecar
          image: envoy:1.30
          securityContext: {capabilities: {drop: [NET_RAW]}}
        - image: busybox:1.36
          name: tail
---
apiVersion: v1
kind: Pod
metadata: {name: one, namespace: shop}
spec: {containers: [{name: a, image: "x:1"}]}
"""

COMPOSE = """\
# compose project
x-common: &common
  restart: unless-stopped
services:
  web:
    <<: *common
    image: nginx:1.27
    ports:
      - "8080:80"     # public
      - 127.0.0.1:8443:443
      - target: 9000
        published: 9000
    security_opt:
      - label:type:web_t
  db:
    image: postgres:16
    privileged: true
    security_opt: [apparmor=docker-default]
"""


def fixable(bulwark):
    return {r["id"] for r in bulwark.json(["config", "--list-rules", "-f", "json"]) if r["fixable"]}


def run_fix(bulwark, tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text)
    rc, out, err = bulwark.run(["config", "--fix", "--diff", f])
    assert rc == 0, err
    diff = out
    assert f.read_text() == text, "--diff wrote the file"
    rc, out, err = bulwark.run(["config", "--fix", "-f", "json", f])
    assert rc == 0, err
    fixed = f.read_text()
    # the diff applies to the original and gives the same bytes
    orig = tmp_path / ("orig-" + name)
    orig.write_text(text)
    p = subprocess.run(["patch", "-s", "-o", "-", str(orig)], input=diff.encode(), capture_output=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == fixed
    return f, fixed, json.loads(out)


def test_kubernetes_fix_keeps_the_text_and_passes_its_checks(bulwark, tmp_path):
    f, fixed, left = run_fix(bulwark, tmp_path, "deploy.yaml", MANIFEST)
    for line in ("# the shop's front end", "  name: web   # keep this comment", "        - name: app          # the app",
                 '          image: "nginx:1.27"', "  replicas: 2\n\n  template:"):
        assert line in fixed
    assert "      hostNetwork: false\n" in fixed
    assert "            privileged: false\n" in fixed and "            runAsNonRoot: true\n" in fixed
    assert "securityContext: {capabilities: {drop: [ALL]}" in fixed
    # the report after --fix is of the fixed file: no fixable rule is left
    fx = fixable(bulwark)
    assert not [x for x in left["findings"] if x["id"] in fx]
    rep = bulwark.json(["config", "-f", "json", f])
    assert not [x for x in rep["findings"] if x["id"] in fx]
    assert [x for x in rep["findings"] if x["id"] == "BW-K8S-015"]  # not fixable: still reported
    # idempotent: nothing more to fix
    rc, out, err = bulwark.run(["config", "--fix", "--diff", f])
    assert rc == 0 and out == "" and "0 edit(s) in 0 file(s)" in err


def test_compose_fix(bulwark, tmp_path):
    f, fixed, left = run_fix(bulwark, tmp_path, "compose.yaml", COMPOSE)
    assert '      - "127.0.0.1:8080:80"     # public\n' in fixed
    assert "        published: 9000\n        host_ip: 127.0.0.1\n" in fixed
    assert '      - label:type:web_t\n      - "no-new-privileges:true"\n' in fixed
    assert 'security_opt: [apparmor=docker-default, "no-new-privileges:true"]' in fixed
    assert "    privileged: false\n" in fixed
    assert "  restart: unless-stopped\n" in fixed and "x-common: &common\n" in fixed
    fx = fixable(bulwark)
    assert not [x for x in left["findings"] if x["id"] in fx]


def test_baseline_required_settings_are_written(bulwark, tmp_path):
    base = tmp_path / "baseline.yaml"
    base.write_text("required:\n  kubernetes:\n    container: {imagePullPolicy: Always}\n"
                    "    pod: {securityContext.fsGroup: 10001}\n")
    f = tmp_path / "pod.yaml"
    f.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                 "    - name: a\n      image: x:1\n      imagePullPolicy: IfNotPresent\n")
    rc, out, err = bulwark.run(["config", "--baseline", base, "--fix", "-f", "json", f])
    assert rc == 0, err
    text = f.read_text()
    assert "      imagePullPolicy: Always\n" in text and "  securityContext:\n    fsGroup: 10001\n" in text
    assert not [x for x in json.loads(out)["findings"] if x["id"] == "BW-BASE-005"]


def test_fix_walks_directories_and_leaves_other_files(bulwark, tmp_path):
    d = tmp_path / "repo"
    (d / "k8s").mkdir(parents=True)
    (d / "k8s" / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                        "spec:\n  hostPID: true\n  containers: [{name: a, image: 'x:1'}]\n")
    (d / "values.yaml").write_text("hostPID: true\n")
    (d / "broken.yaml").write_text("a: [\n")
    rc, out, err = bulwark.run(["config", "--fix", "-q", d])
    assert rc == 3  # broken.yaml is reported by the check
    assert "  hostPID: false\n" in (d / "k8s" / "pod.yaml").read_text()
    assert (d / "values.yaml").read_text() == "hostPID: true\n"
    assert (d / "broken.yaml").read_text() == "a: [\n"
    assert not list(d.rglob("*.bulwark-fix.*"))
    rc, out, err = bulwark.run(["config", "--diff", d])
    assert rc == 2 and "--diff goes with --fix" in err
