"""bulwark's container image, built from the repository's Dockerfile (debimages.py: two
debootstrap bases in place of debian:12, the compile shared with test_package.py; the cost
is written there), run the way docs/install.md says: read-only root filesystem, no network,
uid 10001, the cache (vulnerability database, layer cache, temporary files) in /cache.

It scans an archive mounted read-only and an engine image through the mounted Docker
socket, keeps a database in a named volume between runs, lints the project's own
Dockerfile clean (the BW-DF rules, from inside the image too), and a scan of the image
itself finds no CRITICAL misconfiguration. Those need the image: BW_LONG=1 builds it
(minutes), other runs reuse the one the engine holds when it was built from this very
tree, and skip otherwise.

Cheap, in every run: the Dockerfile is lint clean, and its shape is the one documented
(two stages, the package built in the first and installed in the second, a numeric
non-root USER, the writable places inside the /cache volume); .dockerignore keeps build
directories out of the context."""

import json
import os
import re
import subprocess
import uuid

import pytest

import debimages


@pytest.fixture(scope="module")
def image(docker, repo_root):
    return debimages.bulwark_image(docker, repo_root).image


def run(docker, image, args, mounts=(), extra=(), check=True):
    cmd = ["run", "--rm", "--read-only", "--network", "none", "--user", "10001"]
    for m in mounts:
        cmd += ["-v", m]
    cmd += list(extra) + [image] + [str(a) for a in args]
    p = docker.cli(*cmd, check=False, timeout=600)
    if check:
        assert p.returncode == 0, f"docker {' '.join(cmd)}: exit {p.returncode}\n{p.stderr[-3000:]}"
    return p


def stages(dockerfile):
    """[(FROM line, [instruction lines])] of a Dockerfile without continuation lines."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            out.append((line, []))
        elif out:
            out[-1][1].append(line)
    return out


def test_lint_of_the_projects_own_dockerfile_is_clean(bulwark, repo_root):
    out = bulwark.json(["lint", "--format", "json", repo_root / "Dockerfile"])
    active = [f for f in out["findings"] if f.get("status") != "suppressed"]
    assert active == [], active
    # the one ignore in force is the justified one (see the Dockerfile's comment)
    assert {f["id"] for f in out["findings"]} <= {"BW-DF-003"}


def test_dockerfile_shape(repo_root):
    st = stages(repo_root / "Dockerfile")
    assert len(st) == 2, [s[0] for s in st]
    (build_from, build), (final_from, final) = st
    assert build_from.endswith(" AS build"), build_from
    assert any("dpkg-buildpackage" in i for i in build), build
    assert any(re.match(r"COPY --from=build \S+\.deb ", i) for i in final), final
    # the final stage compiles nothing: no build tools, no source
    assert not any(re.search(r"\b(gcc|meson|ninja|build-essential|dpkg-buildpackage)\b", i) for i in final), final
    assert not any(re.match(r"COPY (?!--from)", i) for i in final), final
    users = [i.split()[1] for i in final if i.startswith("USER ")]
    assert users and users[-1] == "10001:10001", users
    assert any(i.startswith("VOLUME ") and '"/cache"' in i for i in final), final
    env = " ".join(i for i in final if i.startswith("ENV "))
    assert "XDG_CACHE_HOME=/cache" in env and "TMPDIR=/cache/" in env, env
    assert any(i.startswith("HEALTHCHECK ") for i in final)
    assert 'ENTRYPOINT ["bulwark"]' in final


def test_dockerignore_keeps_build_directories_out(repo_root):
    patterns = [line.strip() for line in (repo_root / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    for want in (".git", "build*", "obj-*", "debian/.debhelper", "debian/tmp"):
        assert want in patterns, patterns


@pytest.mark.slow
def test_image_configuration(docker, image):
    cfg = docker.inspect(image)["Config"]
    assert cfg["User"] == "10001:10001"
    assert "/cache" in (cfg.get("Volumes") or {})
    env = dict(e.split("=", 1) for e in cfg["Env"])
    assert env["XDG_CACHE_HOME"] == "/cache" and env["TMPDIR"].startswith("/cache/")
    assert cfg["Entrypoint"] == ["bulwark"]
    assert cfg["Healthcheck"]["Test"][0] in ("CMD", "CMD-SHELL")


@pytest.mark.slow
def test_version_and_help(docker, image):
    p = run(docker, image, ["--version"])
    assert p.stdout.startswith("bulwark ")
    p = run(docker, image, [])
    assert "commands:" in p.stdout


@pytest.mark.slow
def test_scans_an_archive_mounted_read_only(docker, image, tiny_image, save):
    tar = save(tiny_image)
    os.chmod(tar, 0o644)  # readable by uid 10001
    p = run(docker, image, ["image", "--format", "json", "/in/tiny.tar"], mounts=[f"{tar}:/in/tiny.tar:ro"])
    report = json.loads(p.stdout)
    assert report["target"]["name"] == "/in/tiny.tar"
    assert report["schema"] == "bulwark.report/v1"
    # the layer cache went to the /cache volume, not to the read-only root
    p = run(docker, image, ["image", "inspect", "--format", "json", "/in/tiny.tar"],
            mounts=[f"{tar}:/in/tiny.tar:ro"])
    assert json.loads(p.stdout)["layers"]


@pytest.mark.slow
def test_database_in_a_named_volume(docker, image, repo_root):
    """The vulnerability database lives in /cache (XDG_CACHE_HOME/bulwark/db.sqlite): a
    named volume keeps it between runs."""
    vol = f"bulwark-test-cache-{uuid.uuid4().hex[:12]}"
    docker.cli("volume", "create", vol)
    try:
        vulndb = repo_root / "examples" / "vulndb"
        p = run(docker, image, ["db", "import", "/vulndb"], mounts=[f"{vol}:/cache", f"{vulndb}:/vulndb:ro"])
        assert "10 records" in p.stdout + p.stderr
        p = run(docker, image, ["db", "info", "--format", "json"], mounts=[f"{vol}:/cache"])
        info = json.loads(p.stdout)
        assert info["database"] == "/cache/bulwark/db.sqlite" and info["counts"]["advisories"] == 10
    finally:
        docker.cli("volume", "rm", "-f", vol, check=False)


@pytest.mark.slow
def test_scans_an_engine_image_through_the_socket(docker, image, tiny_image):
    if not docker.host.startswith("unix://"):
        pytest.skip(f"the engine is not on a unix socket here ({docker.host})")
    sock = docker.host[len("unix://"):]
    gid = os.stat(sock).st_gid
    p = run(docker, image, ["image", "--format", "json", f"docker:{tiny_image}"],
            mounts=[f"{sock}:/var/run/docker.sock"], extra=["--group-add", str(gid)])
    assert json.loads(p.stdout)["target"]["name"] == f"docker:{tiny_image}"


@pytest.mark.slow
def test_lint_inside_the_image_agrees(docker, image, bulwark, repo_root):
    dockerfile = repo_root / "Dockerfile"
    host = bulwark.json(["lint", "--format", "json", dockerfile])
    inside = json.loads(run(docker, image, ["lint", "--format", "json", "/in/Dockerfile"],
                            mounts=[f"{dockerfile}:/in/Dockerfile:ro"]).stdout)
    assert [(f["id"], f.get("status")) for f in inside["findings"]] == \
        [(f["id"], f.get("status")) for f in host["findings"]]


@pytest.mark.slow
def test_scan_of_itself_finds_no_critical_misconfiguration(bulwark, image):
    report = bulwark.json(["image", "--scanners", "config,secret", "--format", "json", f"docker:{image}"])
    critical = [f for f in report["findings"] if f["severity"] == "CRITICAL"]
    assert critical == [], critical
    ids = {f["id"] for f in report["findings"] if f["kind"] == "misconfiguration"}
    assert not ids & {"BW-IMG-001", "BW-IMG-002", "BW-IMG-022"}, ids  # root, no HEALTHCHECK, build tools
