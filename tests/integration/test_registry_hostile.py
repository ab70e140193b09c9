"""A hostile registry: a small server written here answers what a broken or malicious
registry could. Every case ends with exit 3 and a message that names the registry, the
repository and what was wrong, and bulwark writes nothing outside its cache."""

import gzip
import hashlib
import io
import json
import tarfile
import threading
import time

import pytest

from registryutil import Hostile, send

REPO = "evil/app"


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def small_image():
    """(manifest bytes, {digest: blob}) of a one-layer OCI image."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as t:
        data = b"hello from a hostile registry\n"
        ti = tarfile.TarInfo("etc/hello")
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    tar = raw.getvalue()
    layer = gzip.compress(tar, mtime=0)
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": [sha(tar)]}}).encode()
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(config),
                   "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha(layer),
                    "size": len(layer)}]}).encode()
    return manifest, {sha(config): config, sha(layer): layer}, sha(layer)


MANIFEST, BLOBS, LAYER = small_image()
MT = "application/vnd.oci.image.manifest.v1+json"


def registry(**over):
    """A server that serves the small image; over[kind] replaces one kind of answer:
    'manifest', 'blob', 'layer', 'catalog', 'v2' -> function(handler, path)."""

    def respond(h, method):
        path = h.path.split("?")[0]
        if path == "/v2/" and "v2" in over:
            return over["v2"](h, h.path)
        if path.startswith(f"/v2/{REPO}/manifests/"):
            if "manifest" in over:
                return over["manifest"](h, h.path)
            return send(h, 200, MANIFEST, {"Docker-Content-Digest": sha(MANIFEST)}, ctype=MT)
        if path.startswith(f"/v2/{REPO}/blobs/"):
            d = path.rsplit("/", 1)[1]
            if d == LAYER and "layer" in over:
                return over["layer"](h, h.path)
            if "blob" in over:
                return over["blob"](h, h.path)
            if d in BLOBS:
                return send(h, 200, BLOBS[d], ctype="application/octet-stream")
        if path == "/v2/_catalog" and "catalog" in over:
            return over["catalog"](h, h.path)
        return send(h, 404, b'{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known"}]}')

    return Hostile(respond)


@pytest.fixture
def serve():
    servers = []

    def start(**over):
        s = registry(**over)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.stop()


def run(bulwark, tmp_path, host, *args, target=None, input=None, env=None):
    work = tmp_path / "cwd"
    work.mkdir(exist_ok=True)
    rc, out, err = bulwark.run(["image", "inspect", "--insecure-registry", host, *args,
                                target or f"registry:{host}/{REPO}:1"],
                               input=input, env=env, cwd=work, timeout=120)
    assert list(work.iterdir()) == [], "bulwark wrote into its working directory"
    return rc, out, err


def fails(bulwark, tmp_path, host, *what, args=(), **kw):
    rc, out, err = run(bulwark, tmp_path, host, *args, **kw)
    assert rc == 3, f"exit {rc}: {err}"
    assert host in err and "evil/app" in err, err
    for w in what:
        assert w in err, err
    return err


def test_the_honest_answer_works(bulwark, serve, tmp_path):
    s = serve()
    rc, out, err = run(bulwark, tmp_path, s.host, "--format", "json")
    assert rc == 0, err
    assert json.loads(out)["digest"] == sha(MANIFEST)


def test_manifest_larger_than_the_cap(bulwark, serve, tmp_path):
    big = b'{"schemaVersion": 2, "pad": "' + b"x" * (5 << 20) + b'"}'
    s = serve(manifest=lambda h, p: send(h, 200, big, ctype=MT))
    fails(bulwark, tmp_path, s.host, "larger than 4194304 bytes")


def test_manifest_digest_mismatch(bulwark, serve, tmp_path):
    s = serve(manifest=lambda h, p: send(h, 200, MANIFEST, {"Docker-Content-Digest": "sha256:" + "0" * 64}, ctype=MT))
    fails(bulwark, tmp_path, s.host, "digest mismatch")
    s2 = serve()
    fails(bulwark, tmp_path, s2.host, "digest mismatch", target=f"registry:{s2.host}/{REPO}@sha256:{'1' * 64}")


def test_blob_longer_than_its_descriptor(bulwark, serve, tmp_path):
    body = BLOBS[LAYER] + b"\0" * 4096
    s = serve(layer=lambda h, p: send(h, 200, body, ctype="application/octet-stream"))
    fails(bulwark, tmp_path, s.host, "longer than", LAYER)


def test_blob_shorter_than_its_descriptor(bulwark, serve, tmp_path):
    body = BLOBS[LAYER][:-20]
    s = serve(layer=lambda h, p: send(h, 200, body, ctype="application/octet-stream"))
    fails(bulwark, tmp_path, s.host, LAYER)


def endless(h, p):
    h.send_response(200)
    h.send_header("Content-Type", "application/octet-stream")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"x" * 65536
    while True:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def test_endless_chunked_manifest(bulwark, serve, tmp_path):
    s = serve(manifest=endless)
    fails(bulwark, tmp_path, s.host, "larger than")


def test_endless_chunked_blob(bulwark, serve, tmp_path):
    s = serve(layer=endless)
    fails(bulwark, tmp_path, s.host, "longer than")


def test_slow_answer_past_timeout(bulwark, serve, tmp_path):
    stop = threading.Event()

    def slow(h, p):
        stop.wait(60)

    s = serve(manifest=slow)
    try:
        fails(bulwark, tmp_path, s.host, "--timeout", args=("--timeout", "2s"))
    finally:
        stop.set()


def test_slow_blob_past_timeout(bulwark, serve, tmp_path):
    stop = threading.Event()

    def trickle(h, p):
        h.send_response(200)
        h.send_header("Content-Length", str(len(BLOBS[LAYER])))
        h.end_headers()
        h.wfile.write(BLOBS[LAYER][:10])
        h.wfile.flush()
        stop.wait(60)

    s = serve(layer=trickle)
    try:
        fails(bulwark, tmp_path, s.host, "--timeout", args=("--timeout", "3s"))
    finally:
        stop.set()


def test_redirect_loop(bulwark, serve, tmp_path):
    s = serve(layer=lambda h, p: send(h, 307, b"", {"Location": p}))
    fails(bulwark, tmp_path, s.host, "redirect")


def test_redirect_to_another_host_carries_no_credentials(bulwark, serve, tmp_path):
    storage = serve(blob=lambda h, p: send(h, 200, BLOBS[p.split("?")[0].rsplit("/", 1)[1]],
                                           ctype="application/octet-stream"))

    def basic(handler):
        def check(h, p):
            if h.headers.get("Authorization") != "Basic dXNlcjpwYXNz":
                return send(h, 401, b"", {"WWW-Authenticate": 'Basic realm="evil"'})
            return handler(h, p)
        return check

    def to_storage(h, p):
        d = p.split("?")[0].rsplit("/", 1)[1]
        return send(h, 307, b"", {"Location": f"http://{storage.host}/v2/{REPO}/blobs/{d}?sig=1"})

    reg = serve(manifest=basic(lambda h, p: send(h, 200, MANIFEST, ctype=MT)), blob=basic(to_storage),
                layer=basic(to_storage))
    rc, out, err = run(bulwark, tmp_path, reg.host, "--insecure-registry", storage.host, "--username", "user",
                       "--password-stdin", input="pass")
    assert rc == 0, err
    assert any(r[0] == "GET" for r in storage.requests)
    assert all("Authorization" not in r[2] and "authorization" not in {k.lower() for k in r[2]}
               for r in storage.requests), storage.requests
    assert any(r[2].get("Authorization") for r in reg.requests)


def test_redirect_https_to_http_is_refused(bulwark, serve, tmp_path):
    """A plain-HTTP registry may redirect to plain HTTP; the reverse direction is covered by
    the client's rule, here only that a Location that is not http(s) is refused."""
    s = serve(layer=lambda h, p: send(h, 307, b"", {"Location": "file:///etc/passwd"}))
    fails(bulwark, tmp_path, s.host, "redirect")


def bearer_registry(serve, token_answer):
    tok = serve(v2=token_answer)

    def need_token(h, p):
        if not (h.headers.get("Authorization") or "").startswith("Bearer "):
            return send(h, 401, b"", {"WWW-Authenticate":
                                      f'Bearer realm="http://{tok.host}/v2/",service="evil",scope="repository:{REPO}:pull"'})
        return send(h, 200, MANIFEST, ctype=MT)

    return serve(manifest=need_token)


@pytest.mark.parametrize("answer,what", [
    (b"\x00\xffgarbage{", "not JSON"),
    (b"<html><body>Login</body></html>", "not JSON"),
    (b'{"token": 42}', "not a string"),
    (b'{"nothing": "here"}', "no token"),
])
def test_token_endpoint_garbage(bulwark, serve, tmp_path, answer, what):
    reg = bearer_registry(serve, lambda h, p: send(h, 200, answer, ctype="text/html"))
    fails(bulwark, tmp_path, reg.host, "token endpoint", what)


def test_token_endpoint_huge_answer(bulwark, serve, tmp_path):
    reg = bearer_registry(serve, lambda h, p: send(h, 200, b'{"token":"' + b"a" * (10 << 20) + b'"}'))
    fails(bulwark, tmp_path, reg.host, "token endpoint", "1048576 bytes")


def test_registry_errors_are_retried_then_fail(bulwark, serve, tmp_path):
    s = serve(manifest=lambda h, p: send(h, 503, b'{"errors":[{"code":"UNAVAILABLE","message":"down"}]}',
                                         {"Retry-After": "0"}))
    err = fails(bulwark, tmp_path, s.host, "HTTP 503", "4 tries")
    assert sum(1 for r in s.requests if "/manifests/" in r[1]) == 4
    s2 = serve(manifest=lambda h, p: send(h, 429, b"", {"Retry-After": "3600"}))
    fails(bulwark, tmp_path, s2.host, "HTTP 429", args=("--timeout", "30s"))


def test_auth_required_message(bulwark, serve, tmp_path):
    s = serve(manifest=lambda h, p: send(h, 401, b"", {"WWW-Authenticate": 'Basic realm="x"'}))
    fails(bulwark, tmp_path, s.host, f"authentication required for {s.host}/evil/app: run docker login {s.host} or pass --username",
          env={"DOCKER_CONFIG": str(tmp_path / "none"), "REGISTRY_AUTH_FILE": ""})


def test_catalog_link_loop(bulwark, serve, tmp_path):
    s = serve(catalog=lambda h, p: send(h, 200, b'{"repositories": ["evil/app"]}',
                                        {"Link": '</v2/_catalog?last=evil%2Fapp&n=1000>; rel="next"'}))
    rc, _, err = bulwark.run(["registry", "ls", "--insecure-registry", s.host, s.host], timeout=120)
    assert rc == 3 and s.host in err and "catalog" in err and "page it gave before" in err


def test_catalog_with_bad_names(bulwark, serve, tmp_path):
    s = serve(catalog=lambda h, p: send(h, 200, b'{"repositories": ["ok", "\\u001b[31mred"]}'))
    rc, out, err = bulwark.run(["registry", "ls", "--insecure-registry", s.host, s.host], timeout=120)
    assert rc == 3 and "not a valid name" in err and "\x1b" not in err + out


@pytest.mark.parametrize("honour_range", [True, False])
def test_dropped_blob_resumes(bulwark, serve, tmp_path, honour_range):
    """The first answer breaks off halfway; the client asks again from where it stopped
    (Range), and copes with a registry that answers the whole blob instead."""
    body = BLOBS[LAYER]
    calls = []

    def flaky(h, p):
        rng = h.headers.get("Range")
        calls.append(rng)
        if len(calls) == 1:
            h.send_response(200)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            h.close_connection = True
            import socket
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        if rng and honour_range:
            start = int(rng.split("=")[1].rstrip("-"))
            h.send_response(206)
            h.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            h.send_header("Content-Length", str(len(body) - start))
            h.end_headers()
            h.wfile.write(body[start:])
            return
        send(h, 200, body, ctype="application/octet-stream")

    s = serve(layer=flaky)
    rc, out, err = run(bulwark, tmp_path, s.host, "--format", "json")
    assert rc == 0, err
    assert len(calls) == 2 and calls[0] is None and calls[1] == f"bytes={len(body) // 2}-"


def test_plain_http_to_a_remote_host_warns(bulwark, tmp_path):
    """--insecure-registry for a host that is not loopback: a loud warning (none with
    --quiet); the .invalid name then fails to resolve, naming the registry and repository."""
    args = ["image", "inspect", "--insecure-registry", "registry.invalid:5000", "registry:registry.invalid:5000/evil/app:1"]
    rc, _, err = bulwark.run(args, timeout=120)
    assert rc == 3 and "warning" in err and "plain HTTP" in err and "registry.invalid:5000" in err
    assert "evil/app" in err.split("error:", 1)[1]
    rc, _, err = bulwark.run(["image", "inspect", "--quiet"] + args[2:], timeout=120)
    assert rc == 3 and "warning" not in err
