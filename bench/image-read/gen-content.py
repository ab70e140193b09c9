#!/usr/bin/python3
"""Fill DIR with about SIZE_MB of mixed, deterministic content whose gzip ratio is like a
real image's: text made of the rootfs's own words, binaries derived from its ELF files,
some already-compressed (random) data, many small files and a few big ones.

usage: gen-content.py ROOTFS DIR SIZE_MB [SEED]
"""
import os
import random
import sys

rootfs, out, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
target = size_mb * 1024 * 1024

# Material: words from text files and bytes of ELF files in the rootfs.
words, elves = [], []
for base, _, names in os.walk(rootfs):
    for n in names:
        p = os.path.join(base, n)
        if os.path.islink(p) or not os.path.isfile(p):
            continue
        try:
            with open(p, "rb") as f:
                head = f.read(4)
                if head == b"\x7fELF" and len(elves) < 400:
                    f.seek(0)
                    elves.append(f.read(4 << 20))
                elif len(words) < 200000 and p.endswith((".conf", ".txt", ".py", ".pl", ".pm", ".sh", "copyright")):
                    f.seek(0)
                    words.extend(f.read(64 << 10).decode("latin-1").split())
        except OSError:
            pass
if not words:
    words = [f"word{i}" for i in range(5000)]
if not elves:
    elves = [bytes(rng.getrandbits(8) for _ in range(1 << 16))]


def text(n):
    parts, total = [], 0
    while total < n:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14))) + "\n"
        parts.append(line)
        total += len(line)
    return "".join(parts).encode("latin-1")[:n]


def binary(n):
    parts, total = [], 0
    while total < n:
        e = rng.choice(elves)
        a = rng.randrange(0, max(1, len(e) - 4096))
        chunk = bytearray(e[a:a + rng.randint(4096, 256 << 10)])
        for _ in range(len(chunk) // 2048):  # a little mutation, as builds differ
            chunk[rng.randrange(len(chunk))] = rng.getrandbits(8)
        parts.append(bytes(chunk))
        total += len(chunk)
    return b"".join(parts)[:n]


def random_bytes(n):
    return rng.randbytes(n)


written = 0
i = 0
while written < target:
    kind = rng.choices(["text", "binary", "random"], weights=[45, 45, 10])[0]
    # sizes: mostly small files, some medium, a few big (like real images)
    size = int(rng.choice([rng.randint(200, 8 << 10)] * 6 + [rng.randint(8 << 10, 512 << 10)] * 3 +
                          [rng.randint(1 << 20, 24 << 20)]))
    size = min(size, target - written) or 1
    data = {"text": text, "binary": binary, "random": random_bytes}[kind](size)
    d = os.path.join(out, f"d{i // 200:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:06d}.{'txt' if kind == 'text' else 'bin'}"), "wb") as f:
        f.write(data)
    written += len(data)
    i += 1
print(f"{out}: {i} files, {written >> 20} MiB", file=sys.stderr)
