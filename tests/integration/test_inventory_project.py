"""A project's lock files and manifests, scanned with `fs DIR` before anything is
installed: each format names its packages with the purls and OSV ecosystems the
vulnerability database is keyed by, so a known-vulnerable pinned version is a finding
(tests/data/osv/records), and lock files that installed packages carry are not the
project's."""
import json
import pathlib

import pytest

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "osv"

# file -> (contents, the vulnerable package it pins as (name, purl, advisory id))
PROJECT = {
    "py/requirements.txt": (
        "# app\nDjango_Example==1.1  # pinned\nrequests>=2\n",
        ("django-example", "pkg:pypi/django-example@1.1", "BW-TEST-PYPI-1")),
    "poetry/poetry.lock": (
        '[[package]]\nname = "Django-Example"\nversion = "2.0.1"\n\n[package.dependencies]\n'
        'x = ">=1"\n\n[metadata]\nlock-version = "2.0"\n',
        ("django-example", "pkg:pypi/django-example@2.0.1", "BW-TEST-PYPI-1")),
    "uv/uv.lock": (
        'version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\n\n'
        '[[package]]\nname = "django-example"\nversion = "1.2"\n'
        'source = { registry = "https://pypi.org/simple" }\n',
        ("django-example", "pkg:pypi/django-example@1.2", "BW-TEST-PYPI-1")),
    "pipenv/Pipfile.lock": (
        '{"_meta": {"hash": {}}, "default": {"django-example": {"version": "==1.0"}}, "develop": {}}',
        ("django-example", "pkg:pypi/django-example@1.0", "BW-TEST-PYPI-1")),
    "go/go.mod": (
        "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/mod v1.1.0 // indirect\n)\n",
        ("example.com/mod", "pkg:golang/example.com/mod@v1.1.0", "BW-TEST-GO-1")),
    "ruby/Gemfile.lock": (
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.3)\n\nPLATFORMS\n  ruby\n\n"
        "DEPENDENCIES\n  rack\n\nBUNDLED WITH\n   2.4.10\n",
        ("rack", "pkg:gem/rack@2.2.3", "BW-TEST-GEM-1")),
    "php/composer.lock": (
        '{"packages": [], "packages-dev": [{"name": "guzzlehttp/psr7", "version": "1.8.0"}]}',
        ("guzzlehttp/psr7", "pkg:composer/guzzlehttp/psr7@1.8.0", "BW-TEST-COMPOSER-1")),
    "dotnet/App/packages.lock.json": (
        '{"version": 1, "dependencies": {"net8.0": {"Newtonsoft.Json": {"type": "Direct",'
        ' "requested": "[12.0.3, )", "resolved": "12.0.3"}}}}',
        ("Newtonsoft.Json", "pkg:nuget/Newtonsoft.Json@12.0.3", "BW-TEST-NUGET-1")),
    "java/gradle.lockfile": (
        "# Gradle\norg.example:lib:1.1=compileClasspath,runtimeClasspath\nempty=\n",
        ("org.example:lib", "pkg:maven/org.example/lib@1.1", "BW-TEST-MAVEN-1")),
    "node/npm-shrinkwrap.json": (
        '{"lockfileVersion": 3, "packages": {"": {"name": "app"},'
        ' "node_modules/left-pad": {"version": "1.1.3"}}}',
        ("left-pad", "pkg:npm/left-pad@1.1.3", "BW-TEST-NPM-1")),
}

# lock files that came with installed packages: not the project's
NOT_PROJECT = {
    "venv/lib/python3.12/site-packages/x/requirements.txt": "rack==1.0\n",
    "bundle/gems/x-1.0/Gemfile.lock": "GEM\n  specs:\n    rack (1.0.0)\n",
    "go/vendor/example.com/y/go.mod": "module y\nrequire example.com/mod v0.1.0\n",
    "gopath/pkg/mod/example.com/z@v1.0.0/go.mod": "module z\nrequire example.com/mod v0.2.0\n",
}


@pytest.fixture(scope="module")
def test_db(bulwark, tmp_path_factory):
    db = tmp_path_factory.mktemp("vdb") / "project.db"
    rc, out, err = bulwark.run(["db", "import", "--db", db, DATA / "records"])
    assert rc == 0, err
    return db


def write(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def test_project_lock_files_give_findings(bulwark, test_db, tmp_path):
    root = tmp_path / "proj"
    write(root, {k: v[0] for k, v in PROJECT.items()})
    write(root, NOT_PROJECT)
    doc = bulwark.json(["fs", "--db", test_db, "--list-packages", "-f", "json", root])
    pkgs = {(p["path"], p["purl"]) for p in doc["packages"]}
    found = set()  # (name, version, id) for the finding's id and its equivalents
    for f in doc["findings"]:
        if f["kind"] == "vulnerability":
            for i in [f["id"], *f.get("equivalent", [])]:
                found.add((f["package"]["name"], f["package"]["version"], i))
    for rel, (_, (name, purl, vid)) in PROJECT.items():
        assert ("/" + rel, purl) in pkgs, (rel, sorted(pkgs))
        version = purl.rsplit("@", 1)[1]
        assert (name, version, vid) in found, (rel, sorted(found))
    paths = {p["path"] for p in doc["packages"]}
    for rel in NOT_PROJECT:
        assert "/" + rel not in paths
    assert not any("rack" == p["name"] and p["version"] in ("1.0", "1.0.0") for p in doc["packages"])
    # the unpinned requirement is not a package
    assert not any(p["name"] == "requests" for p in doc["packages"])


def test_broken_lock_files_warn_naming_file_and_line(bulwark, tmp_path):
    root = tmp_path / "proj"
    write(root, {
        "go.mod": "module a\nrequire (\n\texample.com/ok v1.0.0\n\tbroken\n)\n",
        "Pipfile.lock": '{"default":\n  {"x": }\n',
        "gradle.lockfile": "org.example:lib:1.1=x\nnot-a-coordinate\n",
    })
    rc, out, err = bulwark.run(["fs", "--scanners", "packages", "--list-packages", "-f", "json", root])
    assert rc == 0, err
    doc = json.loads(out)
    w = doc["warnings"]
    assert any(x.startswith("/go.mod: line 4:") for x in w), w
    assert any("/Pipfile.lock" in x and "line 2" in x for x in w), w
    assert any(x.startswith("/gradle.lockfile: line 2:") for x in w), w
    assert {p["name"] for p in doc["packages"]} == {"example.com/ok", "org.example:lib"}


def test_skip_dirs_and_files(bulwark, tmp_path):
    root = tmp_path / "proj"
    write(root, {
        "a/requirements.txt": "a==1.0\n",
        "a/deep/tests/requirements.txt": "b==1.0\n",
        "tests/requirements.txt": "c==1.0\n",
        "c/requirements-dev.txt": "d==1.0\n",
        "c/sub/requirements-dev.txt": "e==1.0\n",
        "secret/vendor.txt": "t=" + "".join(("ghp_", "FAKE" * 9)) + "\n",
    })

    def names(*opts):
        rc, out, err = bulwark.run(["fs", "--scanners", "packages", "--list-packages", "-f", "json", *opts, root])
        assert rc == 0, err
        return sorted(p["name"] for p in json.loads(out)["packages"])

    assert names() == ["a", "b", "c", "d", "e"]
    assert names("--skip-dirs", "**/tests") == ["a", "d", "e"]
    assert names("--skip-dirs", "tests", "--skip-files", "./c/*.txt") == ["a", "b", "e"]
    assert names("--skip-dirs", "a,tests", "--skip-files", "**/requirements-dev.txt") == []
    # skipped files are skipped by every scanner
    rc, out, err = bulwark.run(["fs", "--scanners", "secret", "-f", "json", "--skip-dirs", "secret", root])
    assert rc == 0 and not json.loads(out)["findings"], out
    rc, out, err = bulwark.run(["fs", "--scanners", "secret", "-f", "json", root])
    assert json.loads(out)["findings"], out
    rc, out, err = bulwark.run(["fs", "--skip-files", "a,,b", root])
    assert rc == 2 and "--skip-files: an empty pattern" in err
