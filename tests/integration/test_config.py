"""bulwark config against real files: directories, compose projects spread over
files (.env, include, extends), formats, exit codes, and hostile YAML — each a clear
error naming file and line, in bounded time and memory."""
import json
import pathlib
import resource
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "tests/schemas/sarif-schema-2.1.0.json"

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true
"""


def findings(report, rid=None):
    return [f for f in report["findings"] if rid is None or f["id"] == rid]


def at(f):
    loc = f["location"]
    return (pathlib.Path(loc["path"]).name, loc["line"], loc["column"])


def test_directory_walk_finds_compose_and_kubernetes_and_skips_the_rest(bulwark, tmp_path):
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "deploy.yaml").write_text(DEPLOY)
    (tmp_path / "compose.yml").write_text("services:\n  db:\n    image: postgres:16\n    privileged: true\n")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.yaml").write_text(DEPLOY)
    (tmp_path / "values.yaml").write_text("replicaCount: 1\nimage: {tag: latest}\n")
    chart = tmp_path / "chart" / "templates"
    chart.mkdir(parents=True)
    (chart / "deploy.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                                       "  name: {{ .Release.Name }}\n  labels: {{- include \"x\" . | nindent 4 }}\n")
    (tmp_path / "notes.txt").write_text("privileged: true\n")
    rep = bulwark.json(["config", "-f", "json", tmp_path])
    assert rep["target"]["type"] == "config"
    got = {(f["id"], at(f)) for f in findings(rep) if f["id"] in ("BW-K8S-001", "BW-COMPOSE-001")}
    assert got == {("BW-K8S-001", ("deploy.yaml", 13, 13)), ("BW-COMPOSE-001", ("compose.yml", 4, 5))}
    assert not any("node_modules" in f["location"]["path"] for f in findings(rep))
    assert any("chart/templates/deploy.yaml: skipped, a template" in w for w in rep.get("warnings", []))


def test_compose_project_over_files_env_include_extends(bulwark, tmp_path):
    (tmp_path / ".env").write_text("# the project's variables\nTAG=latest\nexport MODE=host\nQUOTED='x $NOT'\n")
    (tmp_path / "base.yaml").write_text("services:\n  base:\n    image: x:1\n    pid: host\n    user: \"1000\"\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "compose.yaml").write_text("services:\n  side:\n    image: side:${SIDE:-1}\n    ipc: host\n")
    (tmp_path / "compose.yaml").write_text(
        "include:\n  - sub/compose.yaml\n"
        "services:\n"
        "  web:\n"
        "    image: nginx:${TAG}\n"
        "    network_mode: ${MODE}\n"
        "    extends:\n      file: base.yaml\n      service: base\n")
    rep = bulwark.json(["config", "-f", "json", tmp_path / "compose.yaml"], env={"MODE": "bridge"})
    assert rep["target"]["type"] == "compose"
    by = {(f["id"], at(f)) for f in findings(rep)}
    assert ("BW-COMPOSE-021", ("compose.yaml", 5, 5)) in by  # nginx:latest from .env
    assert ("BW-COMPOSE-005", ("compose.yaml", 6, 5)) not in by  # the environment beats .env
    assert ("BW-COMPOSE-006", ("base.yaml", 4, 5)) in by  # inherited, named where it is set
    assert ("BW-COMPOSE-007", ("compose.yaml", 4, 5)) in by  # included file
    assert not any(f["id"] == "BW-COMPOSE-012" and "web" in f["evidence"] for f in findings(rep))
    # the same project without MODE in the environment: .env applies
    env = {k: v for k, v in __import__("os").environ.items() if k != "MODE"}
    p = subprocess.run([str(bulwark.path), "config", "-f", "json", str(tmp_path / "compose.yaml")],
                       capture_output=True, env=env)
    rep2 = json.loads(p.stdout)
    assert ("BW-COMPOSE-005", ("compose.yaml", 6, 5)) in {(f["id"], at(f)) for f in findings(rep2)}


def test_include_loop_and_missing_file_are_errors_with_positions(bulwark, tmp_path):
    (tmp_path / "a.yaml").write_text("include: [b.yaml]\nservices: {a: {image: 'x:1'}}\n")
    (tmp_path / "b.yaml").write_text("include: [a.yaml]\nservices: {b: {image: 'x:1'}}\n")
    rc, out, err = bulwark.run(["config", tmp_path / "a.yaml"])
    assert rc == 3 and "b.yaml:1:11: include loop" in err
    (tmp_path / "c.yaml").write_text("services:\n  c:\n    extends: {file: nope.yaml, service: x}\n")
    rc, out, err = bulwark.run(["config", tmp_path / "c.yaml"])
    assert rc == 3 and "c.yaml:3:14: cannot open" in err


def test_exit_codes_formats_and_disable(bulwark, tmp_path):
    f = tmp_path / "deploy.yaml"
    f.write_text(DEPLOY)
    rc, out, err = bulwark.run(["config", "--exit-code", "4", "--severity", "HIGH", f])
    assert rc == 4 and "BW-K8S-001" in out
    rc, out, err = bulwark.run(["config", "--exit-code", "4", "--severity", "CRITICAL", f])
    assert rc == 0
    rep = bulwark.json(["config", "-f", "json", "--disable", "KSV017", f])
    assert not findings(rep, "BW-K8S-001") and findings(rep, "BW-K8S-014")
    rc, out, err = bulwark.run(["config", "--disable", "KSV-9999", f])
    assert rc == 2 and "unknown rule id KSV-9999" in err
    rc, out, err = bulwark.run(["config", "-f", "cyclonedx", f])
    assert rc == 2
    rc, out, err = bulwark.run(["config"])
    assert rc == 2
    rc, out, err = bulwark.run(["config", tmp_path / "missing.yaml"])
    assert rc == 3 and "missing.yaml" in err
    rules = bulwark.json(["config", "--list-rules", "-f", "json"])
    assert {r["target"] for r in rules} == {"kubernetes", "compose", "baseline"} and len(rules) >= 70


def test_trusted_registries(bulwark, tmp_path):
    f = tmp_path / "pod.yaml"
    f.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                 "    - {name: a, image: 'registry.corp.example/app:1'}\n    - {name: b, image: 'quay.io/x/y:2'}\n")
    rep = bulwark.json(["config", "-f", "json", "--trusted-registry", "*.corp.example", f])
    assert [f["evidence"] for f in findings(rep, "BW-K8S-021")] == [
        "Pod p: container b pulls quay.io/x/y:2 from quay.io, not a trusted registry"]
    assert not findings(bulwark.json(["config", "-f", "json", f]), "BW-K8S-021")


def test_sarif_is_valid_sarif_2_1_0(bulwark, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    f = tmp_path / "deploy.yaml"
    f.write_text(DEPLOY)
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: 1\na: 2\n")
    rc, out, err = bulwark.run(["config", "-f", "sarif", f, bad])
    assert rc == 3
    doc = json.loads(out)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    res = doc["runs"][0]["results"]
    priv = [r for r in res if r["ruleId"] == "BW-K8S-001"][0]
    region = priv["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (13, 13, 23)


def limited(bulwark, args, mem_mb=768, timeout=120):
    """Run bulwark, returning (CompletedProcess-like, peak RSS in MiB). The memory bound is
    asserted on the peak resident size (RLIMIT_AS cannot be used with ASan's shadow map);
    the timeout only guards against a hang."""
    p = subprocess.Popen([str(bulwark.path)] + [str(a) for a in args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    out, err = p.communicate(timeout=timeout)
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = ru.ru_maxrss / 1024
    assert peak < mem_mb, f"peak RSS {peak:.0f} MiB"
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


HOSTILE = {
    "laughs.yaml": ("".join(f"l{i}: &l{i} [" + ",".join([f"*l{i-1}"] * 9 if i else ['"lol"'] * 9) + "]\n"
                            for i in range(12)), "laughs.yaml:", "alias expansion passes the budget"),
    "deep.yaml": ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 3000)), "deep.yaml:", "nesting deeper than 128"),
    "flowdeep.yaml": ("[" * 200000, "flowdeep.yaml:1:129:", "nesting deeper"),
    "docs.yaml": ("---\nkind: x\n" * 100000, "docs.yaml:40001:1:", "more than 20000 YAML documents"),
    "dup.yaml": ("apiVersion: v1\nkind: Pod\nmetadata: {name: a, name: b}\n", "dup.yaml:3:21:", "duplicate key \"name\""),
    "tabs.yaml": ("apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n", "tabs.yaml:4:1:", "a tab"),
    "latin1.yaml": (b"apiVersion: v1\nkind: Pod\nmetadata: {name: caf\xe9}\n", "latin1.yaml:3:21:", "not UTF-8"),
    "utf16.yaml": ("apiVersion: v1\n".encode("utf-16"), "utf16.yaml:1:1:", "not UTF-8"),
    "binary.yaml": (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "binary.yaml:", "not UTF-8"),
    "interp.yaml": ("services:\n  a:\n    image: x\n    command: ${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-"
                    "${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-x}}}}}}}}}}}}}}}}}}\n",
                    "interp.yaml:4:14:", "nested deeper than 16"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_yaml_is_a_clear_error_in_bounded_memory(bulwark, tmp_path, name):
    text, where, what = HOSTILE[name]
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    out = limited(bulwark, ["config", p])
    err = out.stderr.decode(errors="replace")
    assert out.returncode == 3, err
    assert where in err and what in err, err


def test_env_file_doubling_is_bounded(bulwark, tmp_path):
    lines = ["V0=xxxxxxxxxxxxxxxx"] + [f"V{i}=${{V{i-1}}}${{V{i-1}}}" for i in range(1, 40)]
    (tmp_path / ".env").write_text("\n".join(lines) + "\n")
    (tmp_path / "compose.yaml").write_text("services:\n  a:\n    image: x:1\n    command: ${V39}\n")
    out = limited(bulwark, ["config", tmp_path / "compose.yaml"])
    err = out.stderr.decode()
    assert out.returncode == 3 and ".env:18: an interpolated value passes 1048576 bytes" in err, err


def test_a_failing_file_does_not_stop_the_others(bulwark, tmp_path):
    (tmp_path / "a.yaml").write_text(DEPLOY)
    (tmp_path / "b.yaml").write_text("a: [\n")
    rc, out, err = bulwark.run(["config", "-f", "json", tmp_path])
    assert rc == 3
    rep = json.loads(out)
    assert findings(rep, "BW-K8S-001")
    assert any("b.yaml:2:1:" in w for w in rep["warnings"])
