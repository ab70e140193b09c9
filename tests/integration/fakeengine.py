"""A Docker Engine that answers as a test tells it to, on a unix socket: for the hostile
engine answers (stalls, redirects, huge headers, broken streams) no real engine gives.

    from fakeengine import FakeEngine, reply
    def answer(method, path):
        if path == "/version":
            return reply(200, {"ApiVersion": "1.41"})
        return reply(404, {"message": "no such thing"})
    with FakeEngine(tmp_path / "engine.sock", answer) as eng:
        bulwark.run([...], env={"DOCKER_HOST": eng.host})
    eng.requests  # [(method, path), ...] in arrival order

answer(method, path) returns bytes (sent as they are, then the connection closes) or a
callable(conn) that talks on the socket itself (to stall, trickle or cut). Every
connection is served by its own thread, so a stalled answer does not block the others;
stop() wakes every stalled answer (the `stopped` event) and closes the sockets.
"""

import json
import os
import socket
import threading


def reply(status, body, headers=None, reason="X"):
    """A whole HTTP/1.1 answer: body is bytes, str, or an object sent as JSON."""
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    h = {"Content-Type": "application/json", "Content-Length": str(len(body)), "Connection": "close"}
    h.update(headers or {})
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n"
    return head.encode() + body


def version_answer(method, path):
    """The minimal answers every client of the engine needs first."""
    if path == "/version" or path.endswith("/_ping"):
        return reply(200, {"ApiVersion": "1.41", "MinAPIVersion": "1.12"})
    return None


class FakeEngine:
    def __init__(self, path, answer):
        self.path = str(path)
        self.answer = answer
        self.requests = []
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._conns = []
        self._sock = socket.socket(socket.AF_UNIX)
        self._sock.bind(self.path)
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def host(self):
        return "unix://" + self.path

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self.stopped.set()
        self._thread.join(5)
        with self._lock:
            for c in self._conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
        self._sock.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass

    def paths(self):
        with self._lock:
            return [p for _, p in self.requests]

    def _accept(self):
        while not self.stopped.is_set():
            try:
                c, _ = self._sock.accept()
            except OSError:
                continue
            with self._lock:
                self._conns.append(c)
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        try:
            req = b""
            while b"\r\n\r\n" not in req:
                d = c.recv(65536)
                if not d:
                    return
                req += d
            line = req.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            method, path = (line[0], line[1]) if len(line) >= 2 else ("?", "?")
            with self._lock:
                self.requests.append((method, path))
            a = self.answer(method, path)
            if a is None:
                a = version_answer(method, path) or reply(404, {"message": f"page not found: {path}"})
            if callable(a):
                a(c)
            else:
                c.sendall(a)
        except OSError:
            pass
        finally:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
