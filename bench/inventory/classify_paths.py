#!/usr/bin/python3
"""Write the regular files of every layer of some images, as the layer walker
sees them, one "MODE SIZE PATH" line each (MODE in octal): the input of
classify_bench.c and of the inventory unit test's classify cases.
    classify_paths.py BULWARK TARGET... > paths.txt
TARGET is anything bulwark opens (docker:NAME, an archive, dir:PATH)."""
import json, subprocess, sys

bw, targets = sys.argv[1], sys.argv[2:]


def run(*args):
    return json.loads(subprocess.run([bw, *args], check=True, capture_output=True).stdout)


for t in targets:
    n = len(run("image", "inspect", "--format", "json", t)["layers"])
    for i in range(n):
        for f in run("image", "files", "--layer", str(i), "--format", "json", t)["files"]:
            if f["type"] == "file" and "\n" not in f["path"]:
                print("%o %d %s" % (f["mode"], f["size"], f["path"]))
