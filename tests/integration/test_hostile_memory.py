"""Memory budgets (issue 18, "Memory: a budget for everything an attacker sizes"): a tiny
input must not make bulwark grow past 256 MiB. Each input is generated here; the peak
resident size of the release build is read from GNU time (/usr/bin/time -f %M): ASan's
shadow memory would hide what the program itself holds. Each case either fails with exit 3
naming what was too large or degrades as documented (a warning)."""

import pytest

from hostilegen import run_peak

BUDGET_MIB = 256


# ------------------------------------------------------------ 9. lint: doubling ARGs


def doubling_args(n=120):
    lines = ["FROM debian:12", "ARG V0=aaaaaaaaaaaaaaaa"]
    lines += [f"ARG V{i}=${{V{i - 1}}}${{V{i - 1}}}" for i in range(1, n)]
    lines += [f'RUN echo "$V{n - 1}"']
    return "\n".join(lines) + "\n"


def doubling_envs_across_stages(n_env=2000, n_stages=2000):
    """One stage with n_env ENV variables, then a chain of stages each FROM the last: every
    stage inherits (copies) every ENV of its parent."""
    lines = ["FROM debian:12 AS s0", "ENV " + " ".join(f"E{i}=v" for i in range(n_env))]
    lines += [f"FROM s{i - 1} AS s{i}" for i in range(1, n_stages)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_lint_doubling_args_stay_in_budget_and_say_so(bulwark_release, tmp_path, fmt):
    df = tmp_path / "Dockerfile"
    df.write_text(doubling_args())
    rc, out, err, peak = run_peak(bulwark_release.path, ["lint", "-f", fmt, df], timeout=120)
    assert rc in (0, 1), f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    text = out.decode() + err
    assert "variable expansion would add more than 16 MiB" in text, text[-2000:]
    assert "Dockerfile:" in text


def test_lint_env_copies_across_stages_stay_in_budget_and_say_so(bulwark_release, tmp_path):
    df = tmp_path / "Dockerfile"
    df.write_text(doubling_envs_across_stages())
    rc, out, err, peak = run_peak(bulwark_release.path, ["lint", "-f", "json", df], timeout=120)
    assert rc in (0, 1), f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    assert "stages inherit more than 500000 ENV variables" in out.decode() + err


def test_lint_expansion_below_the_budget_is_whole(bulwark, tmp_path):
    """A real file's expansions are untouched: 16 doublings of 16 bytes (1 MiB) expand."""
    df = tmp_path / "Dockerfile"
    df.write_text(doubling_args(17) + 'LABEL big="$V16"\n')
    rc, out, err = bulwark.run(["lint", "-f", "json", df])
    assert rc in (0, 1), err
    assert "variable expansion" not in out + err


# ------------------------------------------- 6. JSON-looking members of an archive


@pytest.mark.parametrize("framing", ["file", "pipe"])
def test_archive_of_json_members_stops_at_the_metadata_budget(bulwark_release, tmp_path, framing):
    """100 members of 4 MiB that look like JSON (a 0.4 MB .tar.gz): each used to be kept
    whole (400 MB here; 100,000 of them would be 400 GB). The metadata kept in all has a
    budget: exit 3 naming it."""
    from hostilegen import json_members_archive
    p = json_members_archive(tmp_path / "json-members.tar.gz")
    if framing == "pipe":
        args, inp = ["image", "files", "docker-archive:/dev/stdin"], p.read_bytes()
    else:
        args, inp = ["image", "files", f"docker-archive:{p}"], None
    rc, out, err, peak = run_peak(bulwark_release.path, args, input=inp, timeout=120)
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    assert "pass 64 MiB in all" in err and "blobs/sha256/" in err, err[-2000:]


def test_streamed_members_that_are_not_layers_leave_the_listing_budget(bulwark_release, tmp_path):
    """Two members no manifest names, each ~100 MiB of listing before a damaged header ends
    its walk, then a one-layer image, streamed: a member whose walk failed is no layer, so its
    listing is dropped at once (it used to stay and fill the 192 MiB budget: exit 3)."""
    from hostilegen import broken_members_then_image
    p = broken_members_then_image(tmp_path / "broken-members.tar.zst")
    # compressed, so read as a stream as a pipe is
    rc, out, err, peak = run_peak(bulwark_release.path, ["image", "files", "--no-cache", f"docker-archive:{p}"],
                                  timeout=120)
    assert rc == 0, f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    assert b"/etc/hello" in out, out[-2000:]


# ------------------------------------------------- 7. entries of the layer listings


@pytest.fixture(scope="module")
def repeated_header_image(tmp_path_factory):
    from hostilegen import repeated_header_layout
    return repeated_header_layout(tmp_path_factory.mktemp("headers") / "oci")


def test_layer_repeating_one_header_millions_of_times_stops_at_the_listing_budget(bulwark_release,
                                                                                 repeated_header_image):
    """5,000,000 copies of one empty-file header (0.25 MB of zstd) were 5,000,000 entries
    held in memory (19 M of them: 1.2 GB): the listings of a scan have a budget, exit 3
    naming it."""
    rc, out, err, peak = run_peak(bulwark_release.path,
                                  ["image", "files", "--no-cache", f"oci:{repeated_header_image}"], timeout=300)
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    assert "list more than 192 MiB of entries" in err, err[-2000:]


# ------------------------------------------------ 8. JSON parsed into whole trees


@pytest.mark.parametrize("array", [False, True], ids=["record", "array"])
def test_osv_zip_of_a_record_whose_tree_passes_the_budget_is_skipped(bulwark_release, tmp_path, array):
    """A 16 MB OSV record of empty objects (16 KB zipped) took 1.3 GB as one jansson tree:
    a record (alone or an element of an array) is parsed under a tree budget and skipped
    naming it; with nothing else imported, exit 3."""
    from hostilegen import osv_tree_bomb_zip
    z = osv_tree_bomb_zip(tmp_path / "osv.zip", array=array)
    assert z.stat().st_size < 100_000
    rc, out, err, peak = run_peak(bulwark_release.path, ["db", "import", "--db", tmp_path / "db.sqlite", z],
                                  timeout=120)
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    assert "BOMB-0001.json: the record at line 1 takes more than 160 MiB once parsed" in err, err[-2000:]


def test_vex_document_whose_tree_passes_the_budget_fails_naming_it(bulwark_release, tmp_path):
    """A 15 MB OpenVEX document of empty statements took 1.2 GB parsed whole: exit 3."""
    from hostilegen import openvex_tree_bomb
    vex = tmp_path / "vex.json"
    vex.write_bytes(openvex_tree_bomb())
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY a /a\n")
    rc, out, err, peak = run_peak(bulwark_release.path, ["lint", "-f", "json", "--vex", vex,
                                                         tmp_path / "Dockerfile"], timeout=120)
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    assert "vex.json: the document takes more than 160 MiB once parsed" in err, err[-2000:]


def test_engine_container_list_whose_tree_passes_the_budget_fails_naming_it(bulwark_release, tmp_path):
    """A 16 MB /containers/json answer of empty objects took 1.3 GB parsed whole: exit 3
    naming the request."""
    from fakeengine import FakeEngine, reply, version_answer
    from hostilegen import empty_objects
    bomb = reply(200, b"[" + empty_objects((16 << 20) // 3) + b"]")

    def answer(method, path):
        if "/containers/json" in path:
            return bomb
        if path.endswith("/networks"):
            return reply(200, [])
        return version_answer(method, path)

    with FakeEngine(tmp_path / "engine.sock", answer) as eng:
        rc, out, err, peak = run_peak(bulwark_release.path, ["net", "graph", "--engine", "-f", "json"],
                                      env={"DOCKER_HOST": eng.host}, timeout=120)
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    assert "/containers/json: the answer takes more than 160 MiB once parsed" in err, err[-2000:]


@pytest.mark.parametrize("kind,rc_want,says", [
    ("many-paths", 0, None),
    ("aliases", 3, "more than 1000000 entries and scopes in all"),
    ("large", 3, "larger than 1024 KiB (a YAML ignore file)"),
])
def test_yaml_ignore_file_stays_in_budget(bulwark_release, tmp_path, kind, rc_want, says):
    """A 0.4 MB .trivyignore.yaml entry of 200,000 paths grew its scope array one copy a
    path (1.4 GB, then abort); aliases repeating those paths in 10,000 entries, and libyaml's
    document of a 5 MB file (~80 times its text), are refused naming the limit."""
    from hostilegen import trivy_ignore_yaml
    ign = tmp_path / "ignore.yaml"
    ign.write_text(trivy_ignore_yaml(kind))
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY a /a\n")
    rc, out, err, peak = run_peak(bulwark_release.path, ["lint", "-f", "json", "--ignorefile", ign,
                                                         tmp_path / "Dockerfile"], timeout=120)
    assert rc == rc_want, f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    if says:
        assert says in err, err[-2000:]


def test_image_config_whose_tree_passes_the_budget_fails_naming_it(bulwark_release, tmp_path):
    """A 4 MiB configuration of empty objects (all OCI allows) took 290 MB parsed: exit 3
    naming the blob (real configurations, even 1.39 million empty Env strings, fit)."""
    from imagegen import E, OciImage, layer_tar
    img = OciImage([layer_tar([E("etc/", "dir"), E("etc/hostname", data="x\n")])],
                   config={"Volumes": [{}] * 1_390_000})
    assert len(img.config_blob()) < 4 << 20
    d = img.write_dir(tmp_path / "oci")
    rc, out, err, peak = run_peak(bulwark_release.path, ["image", "files", f"oci:{d}"], timeout=120)
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    assert "its JSON takes more than 128 MiB once parsed" in err, err[-2000:]


def test_sbom_input_whose_tree_passes_the_budget_fails_naming_it(bulwark_release, tmp_path):
    """A 15 MB CycloneDX SBOM of empty components took 1.16 GB parsed whole: exit 3.
    (--no-sandbox: the sandbox does not let an sbom: input be opened yet.)"""
    from hostilegen import empty_objects
    sb = tmp_path / "bomb.cdx.json"
    sb.write_bytes(b'{"bomFormat":"CycloneDX","components":[' + empty_objects(5_000_000) + b"]}")
    rc, out, err, peak = run_peak(bulwark_release.path, ["sbom", "--no-sandbox", f"sbom:{sb}"], timeout=120)
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    assert peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB"
    assert "bomb.cdx.json: the document takes more than 160 MiB once parsed" in err, err[-2000:]
