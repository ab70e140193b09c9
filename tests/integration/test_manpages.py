"""Man pages and shell completions, generated from the help texts the commands print
(`bulwark help --man-dir` and `bulwark help --completion`, run by the build: dist/meson.build).

Every command has a page; each page renders with man-db and groff without a warning and
names every option its command's help lists; every option a help lists is one the command
accepts; the bash completion completes commands, options and option values (run through
bash's own completion machinery); the zsh and fish files pass their shells' syntax check."""

import os
import re
import shutil
import subprocess

import pytest

OPTION_LINE = re.compile(r"^ {2,6}(?:-([A-Za-z0-9]), )?--([a-z0-9-]+)(?: ([A-Z][A-Z0-9_:.\[\]-]*))?(?= |$)")


def commands(bulwark):
    rc, out, err = bulwark.run(["--help"])
    assert rc == 0, err
    names = []
    in_commands = False
    for line in out.splitlines():
        if line == "commands:":
            in_commands = True
        elif in_commands and line.startswith("  "):
            names.append(line.split()[0])
        elif in_commands:
            break
    names.remove("help")
    assert len(names) >= 9, out
    return names


def help_options(bulwark, cmd):
    """(short, long, arg) of every option line of `bulwark CMD --help`."""
    rc, out, err = bulwark.run([cmd, "--help"])
    assert rc == 0, err
    opts = [m.groups() for m in map(OPTION_LINE.match, out.splitlines()) if m]
    assert opts, f"no option lines in bulwark {cmd} --help"
    return opts


@pytest.fixture(scope="module")
def man_dir(bulwark, tmp_path_factory):
    d = tmp_path_factory.mktemp("man")
    rc, out, err = bulwark.run(["help", "--man-dir", d])
    assert rc == 0, err
    return d


def test_every_command_has_a_man_page(bulwark, man_dir):
    names = commands(bulwark)
    pages = sorted(p.name for p in man_dir.iterdir())
    assert pages == sorted(["bulwark.1"] + [f"bulwark-{c}.1" for c in names])
    # the build's copies (dist/ of the build directory the binary comes from) are the same
    built = bulwark.path.parents[2] / "dist"
    if built.is_dir():
        for p in pages:
            assert (built / p).read_bytes() == (man_dir / p).read_bytes(), p


def test_man_dir_refuses_a_list_that_differs_from_the_command_table(bulwark, tmp_path):
    names = commands(bulwark)
    rc, _, err = bulwark.run(["help", "--man-dir", tmp_path] + names[:-1])
    assert rc == 2 and "differs from the command table" in err
    rc, _, err = bulwark.run(["help", "--man-dir", tmp_path] + names + ["nosuchcommand"])
    assert rc == 2 and "'nosuchcommand' is not a command" in err
    rc, _, err = bulwark.run(["help", "--man-dir", tmp_path] + names)
    assert rc == 0, err


def render(page, env):
    """man-db and groff, warnings on; returns (text, warnings)."""
    m = subprocess.run(["man", "--warnings=w", "-l", "-Tutf8", str(page)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, timeout=60)
    g = subprocess.run(["groff", "-ww", "-z", "-man", "-Tutf8", str(page)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    assert m.returncode == 0 and g.returncode == 0, (m.stderr, g.stderr)
    text = re.sub(r".\x08", "", m.stdout.decode())  # overstrike bold and underline
    return text, (m.stderr + g.stderr).decode()


def test_man_pages_render_without_warnings(man_dir, tmp_path):
    env = dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat", LC_ALL="C.UTF-8")
    # the check itself: a page with an undefined macro does warn
    bad = tmp_path / "bad.1"
    bad.write_text('.TH BAD 1\n.SH NAME\nbad \\- bad\n.XX undefined\n')
    assert "XX" in render(bad, env)[1]
    for page in sorted(man_dir.iterdir()):
        text, warnings = render(page, env)
        assert warnings == "", f"{page.name}: {warnings}"
        assert "NAME" in text and "SYNOPSIS" in text and "DESCRIPTION" in text, page.name
        assert page.read_bytes().isascii(), f"{page.name}: non-ASCII bytes (write \\[uXXXX])"


def roff(text):
    """How the generator writes an option name or argument inside a font escape."""
    return text.replace("-", "\\-")


def test_man_page_lists_what_the_help_lists(bulwark, man_dir):
    rc, main_help, err = bulwark.run(["--help"])
    assert rc == 0, err
    for cmd in commands(bulwark):
        page = (man_dir / f"bulwark-{cmd}.1").read_text()
        summary = next(line.split(None, 1)[1] for line in main_help.splitlines() if line.startswith(f"  {cmd} "))
        assert f".SH NAME\nbulwark\\-{roff(cmd)} \\- {summary}\n" in page, cmd
        for short, long, arg in help_options(bulwark, cmd):
            tag = "\\fB\\-\\-" + roff(long) + "\\fR"
            if short:
                tag = "\\fB\\-" + short + "\\fR, " + tag
            if arg:
                tag += " \\fI" + roff(arg) + "\\fR"
            assert f".TP\n{tag}\n" in page, f"bulwark-{cmd}.1 lacks {tag}"
    main = (man_dir / "bulwark.1").read_text()
    for cmd in commands(bulwark):
        assert f"\\fBbulwark\\-{roff(cmd)}\\fR(1)" in main and f".BR bulwark\\-{roff(cmd)} (1)" in main, cmd


def test_every_option_in_a_help_is_accepted(bulwark, tmp_path):
    """The help text is hand-written beside each command's getopt table: an option the
    help (and so the man page and the completions) lists must be one getopt knows."""
    empty = tmp_path / "empty.yaml"  # a configuration file is read before the options
    empty.write_text("")
    for cmd in commands(bulwark):
        for short, long, arg in help_options(bulwark, cmd):
            if long == "help":
                continue
            value = empty if long in ("config", "bulwark-config") else "x"
            opt = f"--{long}={value}" if arg else f"--{long}"
            rc, _, err = bulwark.run([cmd, opt, "--bw-no-such-option"], input="", timeout=60)
            assert rc == 2, f"bulwark {cmd} {opt}: exit {rc}: {err}"
            assert f"unknown option '--{long}" not in err, f"bulwark {cmd}: {err}"


@pytest.fixture(scope="module")
def completions(bulwark, tmp_path_factory):
    d = tmp_path_factory.mktemp("completions")
    files = {}
    for shell, name in (("bash", "bulwark"), ("zsh", "_bulwark"), ("fish", "bulwark.fish")):
        rc, out, err = bulwark.run(["help", "--completion", shell])
        assert rc == 0, err
        (d / name).write_text(out)
        files[shell] = d / name
        built = bulwark.path.parents[2] / "dist" / name
        if built.is_file():
            assert built.read_text() == out, f"{built} differs from bulwark help --completion {shell}"
    return files


def complete_bash(script, words, cwd):
    """COMPREPLY of the bash completion for the command line `words` (the last one is
    being completed), through `complete -p`'s function as bash would call it."""
    line = " ".join(f"'{w}'" for w in words)
    prog = f"""
source '{script}'
spec=$(complete -p bulwark) || exit 9
fn=$(sed -E 's/.*-F ([^ ]+).*/\\1/' <<<"$spec")
COMP_WORDS=({line}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))
COMP_LINE="${{COMP_WORDS[*]}}"; COMP_POINT=${{#COMP_LINE}}
"$fn" bulwark "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", prog], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, cwd=cwd, timeout=60)
    assert p.returncode == 0, p.stderr
    return [w for w in p.stdout.splitlines() if w]


def test_bash_completes_commands_options_and_values(bulwark, completions, tmp_path):
    s = completions["bash"]
    (tmp_path / "sample.tar").write_bytes(b"")
    assert complete_bash(s, ["bulwark", "im"], tmp_path) == ["image"]
    assert complete_bash(s, ["bulwark", "help", "vercm"], tmp_path) == ["vercmp"]
    assert set(complete_bash(s, ["bulwark", ""], tmp_path)) >= set(commands(bulwark))
    assert complete_bash(s, ["bulwark", "image", "--list-p"], tmp_path) == ["--list-packages"]
    assert complete_bash(s, ["bulwark", "lint", "--trusted-r"], tmp_path) == ["--trusted-registry"]
    assert complete_bash(s, ["bulwark", "image", "--format", "cy"], tmp_path) == ["cyclonedx"]
    assert complete_bash(s, ["bulwark", "image", "-f", "j"], tmp_path) == ["json", "junit"]
    assert complete_bash(s, ["bulwark", "image", "-f", "gitlab-"], tmp_path) == ["gitlab-codequality"]
    assert complete_bash(s, ["bulwark", "image", "--format", "=", "s"], tmp_path) == ["sarif", "spdx"]
    assert complete_bash(s, ["bulwark", "db", "--format", ""], tmp_path) == ["table", "json"]
    assert complete_bash(s, ["bulwark", "fs", "--severity", "C"], tmp_path) == ["CRITICAL"]
    assert complete_bash(s, ["bulwark", "image", "--scanners", "vuln,se"], tmp_path) == ["vuln,secret"]
    assert complete_bash(s, ["bulwark", "db", ""], tmp_path) == ["import", "update", "info"]
    assert complete_bash(s, ["bulwark", "vercmp", "np"], tmp_path) == ["npm"]
    # image's first operand is a subcommand or a target; file names after that
    assert complete_bash(s, ["bulwark", "image", "i"], tmp_path) == ["inspect"]
    assert complete_bash(s, ["bulwark", "image", "sam"], tmp_path) == ["sample.tar"]
    assert complete_bash(s, ["bulwark", "image", "--db", "x.sqlite", "inspect", "sa"], tmp_path) == ["sample.tar"]
    assert complete_bash(s, ["bulwark", "image", "--output", "sa"], tmp_path) == ["sample.tar"]
    assert complete_bash(s, ["bulwark", "image", "--jobs", ""], tmp_path) == []


def test_bash_completion_lists_every_option_of_every_help(bulwark, completions, tmp_path):
    for cmd in commands(bulwark):
        got = set(complete_bash(completions["bash"], ["bulwark", cmd, "-"], tmp_path))
        want = set()
        for short, long, _ in help_options(bulwark, cmd):
            want.add(f"--{long}")
            if short:
                want.add(f"-{short}")
        assert got == want, cmd


@pytest.mark.parametrize("shell,key", [("zsh", "zsh"), ("fish", "fish")])
def test_zsh_and_fish_completions_parse(completions, shell, key):
    exe = shutil.which(shell)
    if exe is None:
        pytest.fail(f"{shell} is not installed (scripts/install-deps.sh installs it)")
    p = subprocess.run([exe, "-n", str(completions[key])], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=60)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    text = completions[key].read_text()
    assert "cyclonedx" in text and "inspect files cat" in text and "--secret-config" in text.replace("-l ", "--")


def test_fish_completes_a_command_and_an_option(completions):
    exe = shutil.which("fish")
    if exe is None:
        pytest.fail("fish is not installed (scripts/install-deps.sh installs it)")

    def complete(line):
        p = subprocess.run([exe, "--no-config", "-c", f"source {completions['fish']}; complete -C '{line}'"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return [w.split("\t")[0] for w in p.stdout.splitlines()]

    assert "image" in complete("bulwark ima")
    assert complete("bulwark image --list-p") == ["--list-packages"]
    assert set(complete("bulwark image --format ")) == {"table", "json", "sarif", "cyclonedx", "spdx", "junit",
                                                        "gitlab", "gitlab-codequality", "compact", "html"}
