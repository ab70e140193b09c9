"""The layer-analysis cache (src/cache, src/image/layercache.c): a second scan serves
layers from $XDG_CACHE_HOME/bulwark/layers.sqlite without reading them, with reports
byte-identical to a cold scan and to --no-cache; other versions' and corrupt cache files
are ignored and rebuilt; `bulwark cache info|clean`.

Documented behaviour checked here: a cached listing is trusted only for a file it was
verified in (device, inode, size, mtime, ctime, member: as git's index): such a layer is
not read at all; any other file claiming the same digests — a blob replaced on disk,
another archive — is hashed first, and fails with the digest error as --no-cache does.

Every test has its own XDG_CACHE_HOME (never the user's cache)."""

import json
import os
import shutil
import sqlite3
import subprocess
import time

import pytest

from imagegen import E, OciImage, gzip_bytes, layer_tar, sha256, hexof

SCANNERS = ["--scanners", "packages,secret,config"]
TOKEN = "ghp_" + "q7Zr2XwP9sLm4VnB8cKd1TfH6yJg3QeA5uRo"

DPKG_STATUS = b"""Package: base-files
Status: install ok installed
Version: 12.4+deb12u5
Architecture: amd64

Package: libc6
Status: install ok installed
Source: glibc
Version: 2.36-9+deb12u4
Architecture: amd64
"""

OS_RELEASE = b'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'


def base_layer():
    return layer_tar([
        E("etc", "dir"), E("etc/os-release", data=OS_RELEASE),
        E("etc/shadow", data=b"root::19000:0:99999:7:::\n", mode=0o640),
        E("var", "dir"), E("var/lib", "dir"), E("var/lib/dpkg", "dir"),
        E("var/lib/dpkg/status", data=DPKG_STATUS),
        E("root", "dir"), E("root/.env", data=b"GITHUB_TOKEN=" + TOKEN.encode() + b"\n"),
    ])


def app_layer(name):
    return layer_tar([
        E("app", "dir"), E("app/node_modules", "dir"), E(f"app/node_modules/{name}", "dir"),
        E(f"app/node_modules/{name}/package.json",
          data=json.dumps({"name": name, "version": "1.2.3", "license": "MIT"}).encode()),
        E("app/config.txt", data=f"token = {TOKEN}\n".encode()),
    ])


def cache_env(tmp_path):
    return {"XDG_CACHE_HOME": str(tmp_path / "xdg")}


def db_path(tmp_path):
    return tmp_path / "xdg" / "bulwark" / "layers.sqlite"


def scan(bulwark, target, env, *extra):
    rc, out, err = bulwark.run(["image", "-f", "json", "--list-packages", *SCANNERS, *extra, target], env=env)
    return rc, out, err


def report(bulwark, target, env, *extra):
    rc, out, err = scan(bulwark, target, env, *extra)
    assert rc == 0, err
    return out


def layout(tmp_path, name, layers):
    img = OciImage(layers)
    return img, img.write_dir(tmp_path / name)


def garble(layout_dir, digest):
    """Replace a blob, keeping its name, with another valid layer."""
    p = layout_dir / "blobs" / "sha256" / hexof(digest)
    p.write_bytes(gzip_bytes(layer_tar([E("tampered", data=b"not the layer the manifest names")])))


def test_second_scan_is_identical_and_fills_the_cache(bulwark, tmp_path):
    env = cache_env(tmp_path)
    _, d = layout(tmp_path, "a", [base_layer(), app_layer("left-pad")])
    cold = report(bulwark, d, env)
    assert db_path(tmp_path).exists()
    warm = report(bulwark, d, env)
    nocache = report(bulwark, d, env, "--no-cache")
    assert cold == warm == nocache
    doc = json.loads(cold)
    assert {p["name"] for p in doc["packages"]} >= {"base-files", "libc6", "left-pad"}
    kinds = {f["kind"] for f in doc["findings"]}
    assert "secret" in kinds and "misconfiguration" in kinds
    assert sum(1 for f in doc["findings"] if f["kind"] == "secret") >= 2


def test_package_hashes_come_back_from_the_cache(bulwark, tmp_path):
    """Hashes are part of the cached records: a warm scan reports the same digests."""
    import zipfile, io, base64, hashlib
    jar = io.BytesIO()
    with zipfile.ZipFile(jar, "w") as z:
        z.writestr("META-INF/maven/org.example/lib/pom.properties", "groupId=org.example\nartifactId=lib\nversion=1.0\n")
    jar = jar.getvalue()
    sri = "sha512-" + base64.b64encode(hashlib.sha512(b"left-pad-1.3.0.tgz").digest()).decode()
    lock = {"lockfileVersion": 3, "packages": {"": {}, "node_modules/left-pad": {"version": "1.3.0", "integrity": sri}}}
    layer = layer_tar([E("srv", "dir"), E("srv/lib-1.0.jar", data=jar),
                       E("srv/package-lock.json", data=json.dumps(lock).encode())])
    env = cache_env(tmp_path)
    _, d = layout(tmp_path, "a", [base_layer(), layer])
    cold = report(bulwark, d, env)
    warm = report(bulwark, d, env)
    assert cold == warm
    got = {p["name"]: p.get("hashes") for p in json.loads(warm)["packages"]}
    assert got["org.example:lib"] == [{"algorithm": "sha1", "value": hashlib.sha1(jar).hexdigest()}]
    assert got["left-pad"] == [{"algorithm": "sha512", "value": hashlib.sha512(b"left-pad-1.3.0.tgz").hexdigest()}]
    info = json.loads(bulwark.run(["cache", "info", "-f", "json"], env=env)[1])
    assert info["by_analyzer"].get("inventory:8") and info["by_analyzer"].get("inventory-archives:8")


def test_cached_layers_replaced_on_disk_are_hashed_and_refused(bulwark, tmp_path):
    env = cache_env(tmp_path)
    img, d = layout(tmp_path, "a", [base_layer(), app_layer("left-pad")])
    cold = report(bulwark, d, env)
    assert report(bulwark, d, env) == cold
    # one layer: with two, the layer walkers race to name theirs first
    garble(d, sha256(img.layers[1]["blob"]))
    # the file is not the one the cache verified: hashed, refused as --no-cache does
    rc, out, err = scan(bulwark, d, env)
    rc_nc, _, err_nc = scan(bulwark, d, env, "--no-cache")
    assert rc == rc_nc == 3 and "digest mismatch" in err and err == err_nc, (err, err_nc)


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_cached_layers_of_unchanged_files_are_not_read(bulwark, tmp_path):
    env = cache_env(tmp_path)
    img, d = layout(tmp_path, "a", [base_layer(), app_layer("left-pad")])
    # A file changed within the clock's granularity of a scan is not vouched for
    # (git's "racily clean"): let the layout's times fall behind first.
    time.sleep(2.5)
    cold = report(bulwark, d, env)
    log = tmp_path / "strace.log"
    p = subprocess.run(["strace", "-f", "-qq", "-e", "trace=open,openat,openat2", "-o", str(log),
                        str(bulwark.path), "image", "-f", "json", "--list-packages", *SCANNERS, str(d)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, **env, ASAN_OPTIONS="detect_leaks=0"), timeout=300)
    assert p.returncode == 0, p.stderr.decode(errors="replace")
    assert p.stdout.decode() == cold
    opens = log.read_text().splitlines()
    for l in img.layers:
        hexd = hexof(sha256(l["blob"]))
        # at most looked at (fstat of an O_PATH descriptor), never opened for reading
        read_opens = [o for o in opens if hexd in o and "O_PATH" not in o]
        assert not read_opens, read_opens


def test_shared_base_layer_is_served_to_another_layout_after_hashing(bulwark, tmp_path):
    env = cache_env(tmp_path)
    base = base_layer()
    _, da = layout(tmp_path, "a", [base, app_layer("left-pad")])
    img_b, db = layout(tmp_path, "b", [base, app_layer("right-pad")])
    _, db2 = layout(tmp_path, "b2", [base, app_layer("right-pad")])
    cold_b = report(bulwark, db, env, "--no-cache")
    report(bulwark, da, env)  # caches the base
    # b's copy of the base is another file: hashed, then the cached analysis serves it
    assert report(bulwark, db, env) == cold_b
    # b2's copy of the base holds other bytes under its name: refused
    garble(db2, sha256(img_b.layers[0]["blob"]))
    rc, out, err = scan(bulwark, db2, env)
    assert rc == 3 and "layer 0" in err and "digest mismatch" in err, err


def test_docker_save_archive_is_cached(bulwark, tmp_path, debian_rootfs, save):
    env = cache_env(tmp_path)
    tar = save(debian_rootfs.image)
    cold = report(bulwark, tar, env)
    warm = report(bulwark, tar, env)
    assert cold == warm == report(bulwark, tar, env, "--no-cache")
    doc = json.loads(cold)
    assert {p["name"]: p["version"] for p in doc["packages"] if p["ecosystem"].startswith("Debian")} == \
        debian_rootfs.packages()
    info = json.loads(bulwark.run(["cache", "info", "-f", "json"], env=env)[1])
    assert info["layers"] >= 1 and "walker:3" in info["by_analyzer"]


def test_other_version_cache_is_ignored_and_rebuilt(bulwark, tmp_path):
    env = cache_env(tmp_path)
    _, d = layout(tmp_path, "a", [base_layer(), app_layer("left-pad")])
    cold = report(bulwark, d, env)
    p = db_path(tmp_path)
    con = sqlite3.connect(p)
    con.execute("UPDATE meta SET value = '0.0.1-other' WHERE key = 'bulwark'")
    # a lying record: if it were read, the report would change
    con.execute("UPDATE layers SET data = x'01'")
    con.commit()
    con.close()
    assert report(bulwark, d, env) == cold
    con = sqlite3.connect(p)
    assert con.execute("SELECT value FROM meta WHERE key = 'bulwark'").fetchone()[0] != "0.0.1-other"
    assert con.execute("SELECT count(*) FROM layers").fetchone()[0] >= 2
    con.close()


def test_schema_mismatch_is_ignored(bulwark, tmp_path):
    env = cache_env(tmp_path)
    _, d = layout(tmp_path, "a", [base_layer()])
    cold = report(bulwark, d, env)
    con = sqlite3.connect(db_path(tmp_path))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema'")
    con.commit()
    con.close()
    assert report(bulwark, d, env) == cold


def test_corrupt_records_are_misses(bulwark, tmp_path):
    env = cache_env(tmp_path)
    img, d = layout(tmp_path, "a", [base_layer(), app_layer("left-pad")])
    cold = report(bulwark, d, env)
    con = sqlite3.connect(db_path(tmp_path))
    rows = con.execute("SELECT key, data FROM layers").fetchall()
    for key, data in rows:  # truncate every record: each is a miss, the layer is read again
        con.execute("UPDATE layers SET data = ? WHERE key = ?", (data[: len(data) // 2], key))
    con.commit()
    con.close()
    assert report(bulwark, d, env) == cold
    # and rewritten whole
    assert report(bulwark, d, env) == cold


def test_corrupt_cache_file_is_rebuilt(bulwark, tmp_path):
    env = cache_env(tmp_path)
    _, d = layout(tmp_path, "a", [base_layer()])
    p = db_path(tmp_path)
    p.parent.mkdir(parents=True)
    p.write_bytes(b"this is not a database\n" * 100)
    cold = report(bulwark, d, env)
    assert report(bulwark, d, env, "--no-cache") == cold
    con = sqlite3.connect(p)
    assert con.execute("SELECT count(*) FROM layers").fetchone()[0] >= 1


def test_no_cache_neither_reads_nor_writes(bulwark, tmp_path):
    env = cache_env(tmp_path)
    _, d = layout(tmp_path, "a", [base_layer()])
    report(bulwark, d, env, "--no-cache")
    assert not db_path(tmp_path).exists()
    rc, out, err = bulwark.run(["sbom", "--no-cache", d], env=env)
    assert rc == 0, err
    assert not db_path(tmp_path).exists()


def test_cache_info_and_clean(bulwark, tmp_path):
    env = cache_env(tmp_path)
    info = json.loads(bulwark.run(["cache", "info", "-f", "json"], env=env)[1])
    assert info["exists"] is False and info["path"] == str(db_path(tmp_path))
    _, d = layout(tmp_path, "a", [base_layer(), app_layer("left-pad")])
    report(bulwark, d, env)
    info = json.loads(bulwark.run(["cache", "info", "-f", "json"], env=env)[1])
    assert info["usable"] and info["layers"] == 2
    assert set(info["by_analyzer"]) >= {"walker:3", "inventory:8", "secret:1", "image-config:1"}
    assert info["entries"] == sum(a["entries"] for a in info["by_analyzer"].values())
    rc, out, err = bulwark.run(["cache", "info"], env=env)
    assert rc == 0 and "walker:3" in out
    rc, out, err = bulwark.run(["cache", "clean"], env=env)
    assert rc == 0 and "removed" in out
    assert not db_path(tmp_path).exists()
    assert bulwark.run(["cache", "bogus"], env=env)[0] == 2


def test_custom_secret_rules_are_not_cached(bulwark, tmp_path):
    env = cache_env(tmp_path)
    _, d = layout(tmp_path, "a", [base_layer()])
    cfg = tmp_path / "rules.yaml"
    cfg.write_text("disable-rules: [BW-SEC-JWT-001]\n")
    report(bulwark, d, env)
    rc, out, err = scan(bulwark, d, env, "--secret-config", cfg)
    assert rc == 0, err
    con = sqlite3.connect(db_path(tmp_path))
    assert con.execute("SELECT count(*) FROM layers WHERE analyzer LIKE 'secret:%'").fetchone()[0] == 1


def test_concurrent_scans_share_the_cache(bulwark, tmp_path):
    env = dict(os.environ, **cache_env(tmp_path))
    dirs = []
    for i in range(4):
        _, d = layout(tmp_path, f"img{i}", [base_layer(), app_layer(f"pkg{i}")])
        dirs.append(d)
    expected = [report(bulwark, d, cache_env(tmp_path / "private"), "--no-cache") for d in dirs]
    for _round in range(2):
        procs = [subprocess.Popen([str(bulwark.path), "image", "-f", "json", "--list-packages", *SCANNERS, str(d)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for d in dirs * 2]
        outs = [p.communicate(timeout=300) for p in procs]
        for p, (out, err) in zip(procs, outs):
            assert p.returncode == 0, err.decode()
        assert [o.decode() for o, _ in outs] == expected * 2
    con = sqlite3.connect(db_path(tmp_path))
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM layers WHERE analyzer = 'walker:3'").fetchone()[0] == 5


def secret_db_rows(tmp_path):
    con = sqlite3.connect(db_path(tmp_path))
    rows = con.execute("SELECT key, data FROM layers WHERE analyzer = 'secret-db:1' ORDER BY key").fetchall()
    con.close()
    return rows


def secret_ids(out):
    return sorted((f["id"], f["location"].get("path")) for f in json.loads(out)["findings"] if f["kind"] == "secret")


def test_compiled_secret_rules_are_kept_per_rule_set(bulwark, tmp_path):
    """The Vectorscan databases are stored once compiled and used again; a rule set of its
    own (a custom rule) gets databases of its own; a damaged record is compiled anew."""
    env = cache_env(tmp_path)
    acme = layer_tar([E("srv", "dir"), E("srv/deploy.txt", data=b"key acme_" + b"0123456789abcdef" * 2 + b"\n")])
    _, d = layout(tmp_path, "a", [base_layer(), acme])
    cold = report(bulwark, d, env)
    rows = secret_db_rows(tmp_path)
    assert rows, "no compiled database stored"
    assert report(bulwark, d, env) == cold
    assert secret_db_rows(tmp_path) == rows  # used, not compiled and stored again

    cfg = tmp_path / "acme.yaml"
    cfg.write_text("rules:\n  - id: ACME-001\n    title: ACME deploy key\n    severity: CRITICAL\n"
                   "    regex: 'acme_(?<secret>[0-9a-f]{32})'\n    keywords: [acme_]\n")
    custom = report(bulwark, d, env, "--secret-config", cfg)
    assert ("ACME-001", "/srv/deploy.txt") in secret_ids(custom)
    assert "ACME-001" not in cold
    assert len(secret_db_rows(tmp_path)) > len(rows)
    assert report(bulwark, d, env, "--secret-config", cfg) == custom

    con = sqlite3.connect(db_path(tmp_path))  # garbage of the same length in every record
    for key, data in secret_db_rows(tmp_path):
        con.execute("UPDATE layers SET data = ? WHERE key = ?", (bytes(len(data)), key))
    con.commit()
    con.close()
    assert report(bulwark, d, env) == cold
    assert report(bulwark, d, env, "--secret-config", cfg) == custom
    assert all(any(b) for _, b in secret_db_rows(tmp_path))  # compiled anew and stored
