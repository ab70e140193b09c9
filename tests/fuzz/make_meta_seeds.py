#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_archive_meta, fuzz_oci_layout, fuzz_enrich and
fuzz_engine (tests/fuzz/corpus/<harness>/<name>): small images given as the members
records of fuzz_members.h (docker-archive, OCI archive and layout, the docker-archive
fallback inside a layout, duplicated metadata members, names that climb out), EPSS and
KEV documents (valid, empty, an HTML error page, cut short), and Docker Engine answers
(a container, its inspect, images, an export). Run: python3 tests/fuzz/make_meta_seeds.py"""
import hashlib
import io
import json
import os
import struct
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))

# fuzz_members.h's names, by index
MANIFEST, INDEX, LAYOUT, REPOS, BLOB, L0, L1, CONFIG, BLOB2, BLOB3, DOT_MANIFEST, CLIMB = range(12)
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar"


def layer_tar(files):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in files:
            ti = tarfile.TarInfo(name)
            ti.mtime, ti.size, ti.mode = 0, len(data), 0o644
            t.addfile(ti, io.BytesIO(data))
    return b.getvalue()


OS = layer_tar([("etc/os-release", b"ID=alpine\nVERSION_ID=3.20.3\n")])
KEY = layer_tar([("root/.ssh/id_rsa", b"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n")])


def rec(kind, body):
    if isinstance(body, (dict, list)):
        body = json.dumps(body, separators=(",", ":"))
    if isinstance(body, str):
        body = body.encode()
    return struct.pack("<BH", kind, len(body)) + body


def config(diff_refs):
    # "@N" strings become the digests of the later records N
    return json.dumps({"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/bin"]},
                       "rootfs": {"type": "layers", "diff_ids": diff_refs}}, separators=(",", ":"))


def oci_members(layer_kind=BLOB3):
    """index -> manifest (record 2) -> config (3) and layer (4)."""
    manifest = ('{"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"%s","digest":"@3","size":#3},'
                '"layers":[{"mediaType":"%s","digest":"@4","size":#4}]}' % (MT_MANIFEST, MT_CONFIG, MT_LAYER))
    index = '{"schemaVersion":2,"manifests":[{"mediaType":"%s","digest":"@2","size":#2}]}' % MT_MANIFEST
    return [rec(LAYOUT, {"imageLayoutVersion": "1.0.0"}), rec(INDEX, index), rec(BLOB, manifest),
            rec(BLOB2, config(["@4"])), rec(layer_kind, OS)]


def legacy(manifest_layers=("0/layer.tar",), config_name="c.json"):
    return [rec(MANIFEST, [{"Config": config_name, "RepoTags": ["seed:1"], "Layers": list(manifest_layers)}]),
            rec(CONFIG, config(["@2"])), rec(L0, OS)]


def archive_seeds():
    s = {}
    for flags, tag in ((0, "tar"), (1, "gz")):
        f = bytes([flags])
        s[f"legacy-{tag}"] = f + b"".join(legacy())
        # a benign manifest, then a second one naming a layer with a key: an integrity error
        s[f"duplicate-manifest-{tag}"] = f + b"".join(
            legacy() + [rec(L1, KEY), rec(MANIFEST, [{"Config": "c.json", "Layers": ["1/layer.tar"]}])])
        s[f"dot-manifest-{tag}"] = f + b"".join(legacy() + [rec(DOT_MANIFEST, [{"Config": "c.json", "Layers": []}])])
        s[f"oci-{tag}"] = f + b"".join(oci_members())
        s[f"duplicate-index-{tag}"] = f + b"".join(oci_members() + [rec(INDEX, '{"schemaVersion":2,"manifests":[]}')])
        s[f"duplicate-layout-{tag}"] = f + b"".join(oci_members() + [rec(LAYOUT, {"imageLayoutVersion": "1.0.0"})])
        s[f"climbing-index-{tag}"] = f + b"".join(oci_members() + [rec(CLIMB, '{"schemaVersion":2,"manifests":[]}')])
        s[f"repositories-{tag}"] = f + b"".join(legacy() + [rec(REPOS, {"seed": {"1": "x"}}), rec(REPOS, {})])
    return s


def layout_seeds():
    f = b"\0"
    return {
        "oci": f + b"".join(oci_members()),
        "oci-fallback-manifest": f + b"".join(legacy()),
        "oci-fallback-beside-index": f + b"".join(oci_members() + legacy()),
        "oci-fallback-climbing-layer": f + b"".join(legacy(("../../../etc/passwd",))),
        "oci-fallback-climbing-config": f + b"".join(legacy(config_name="../c.json")),
        "oci-fallback-absolute": f + b"".join(legacy(("/etc/passwd",), config_name="/etc/hostname")),
        "oci-index-climbing-digest": f + rec(LAYOUT, {"imageLayoutVersion": "1.0.0"}) + rec(
            INDEX, '{"schemaVersion":2,"manifests":[{"mediaType":"%s","digest":"sha256:../../x","size":2}]}'
            % MT_MANIFEST),
    }


def enrich_seeds():
    epss = "#model_version:v2023.03.01,score_date:2024-10-25T00:00:00+0000\ncve,epss,percentile\n"
    rows = "".join("CVE-2024-%04d,0.%05d,0.%05d\n" % (i, 43 * i, 864 * i) for i in range(1, 6))
    kev = [{"cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2",
            "vulnerabilityName": "Apache Log4j2 Remote Code Execution Vulnerability",
            "dateAdded": "2021-12-10", "dueDate": "2021-12-24", "knownRansomwareCampaignUse": "Known"},
           {"cveID": "CVE-2014-0160", "dateAdded": "2022-05-04"}]
    return {
        "epss-with-model-line": b"\0" + (epss + rows).encode(),
        "epss-rows-only": b"\0" + rows.encode(),
        "epss-bad-rows": b"\0" + b"CVE-2024-1,x,y\nnot a row\nCVE-2024-0002,1.5,0.1\n",
        "epss-html-error-page": b"\0" + b"<html><body><h1>503 Service Unavailable</h1></body></html>\n",
        "kev": b"\1" + json.dumps(kev).encode(),
        "kev-empty": b"\1[]",
        "kev-bad-ids": b"\1" + json.dumps([{"cveID": "CVE 2021 1"}, {"cveID": 5}, {}]).encode(),
        "kev-cut-short": b"\1" + json.dumps(kev).encode()[:60],
    }


def engine_seeds():
    cid = "c" * 64
    iid = "sha256:" + "a" * 64
    R = {"version": 0, "containers": 1, "inspect": 2, "images": 3, "image": 4, "info": 5, "networks": 6,
         "export": 7}

    def answer(route, body, status=0):
        return rec(R[route] | status << 3, body)

    inspect = {"Id": cid, "Name": "/web", "Image": iid, "Config": {"Image": "seed:1", "User": "", "Env": ["A=1"],
                                                                   "Labels": {"a": "b"}},
               "HostConfig": {"Privileged": True, "CapAdd": ["SYS_ADMIN"], "NetworkMode": "bridge",
                              "PortBindings": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]},
                              "Binds": ["/:/host"], "PidMode": "host", "SecurityOpt": ["seccomp=unconfined"]},
               "State": {"Running": True, "Pid": 1}, "AppArmorProfile": "", "Mounts": [],
               "NetworkSettings": {"Networks": {"bridge": {"NetworkID": "n1", "IPAddress": "172.17.0.2"}}}}
    export = io.BytesIO()
    with tarfile.open(fileobj=export, mode="w") as t:
        cfg = config(["sha256:" + hashlib.sha256(OS).hexdigest()]).encode()
        for name, data in (("c.json", cfg), ("0/layer.tar", OS),
                           ("manifest.json", json.dumps([{"Config": "c.json", "RepoTags": ["fuzz:latest"],
                                                          "Layers": ["0/layer.tar"]}]).encode())):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime = len(data), 0
            t.addfile(ti, io.BytesIO(data))
    return {
        "audit-one-container": b"".join([
            answer("containers", [{"Id": cid, "Names": ["/web"], "Image": "seed:1", "State": "running"}]),
            answer("inspect", inspect), answer("info", {"ServerVersion": "24.0.5", "Swarm": {"LocalNodeState": "inactive"},
                                                         "SecurityOptions": ["name=seccomp,profile=default"]}),
            answer("images", [{"Id": iid, "RepoTags": ["seed:1"]}]), answer("image", {"Id": iid, "RepoDigests": []}),
            answer("networks", [{"Name": "bridge", "Id": "n1", "Driver": "bridge", "Internal": False}]),
            answer("export", export.getvalue())]),
        "docker-image-export": answer("image", {"Id": iid}) + answer("export", export.getvalue()),
        "errors-and-redirects": answer("containers", {"message": "boom"}, 2) + answer("info", "", 3)
        + answer("inspect", "not json", 1),
        "old-engine": answer("version", {"ApiVersion": "1.12", "MinAPIVersion": "1.12"}),
        "not-lists": answer("containers", {"a": 1}) + answer("networks", "null") + answer("images", "[1,2]"),
    }


def write(harness, seeds):
    d = os.path.join(HERE, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    write("fuzz_archive_meta", archive_seeds())
    write("fuzz_oci_layout", layout_seeds())
    write("fuzz_enrich", enrich_seeds())
    write("fuzz_engine", engine_seeds())
