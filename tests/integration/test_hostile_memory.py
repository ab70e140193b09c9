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
