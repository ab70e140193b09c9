"""bulwark monitor --dry-run: Falco rule files checked without the kernel — what loads,
what is skipped and why, and every error naming the file, the rule and the position."""

import json
import re

import pytest

from monitorlib import FALCO_RULES


def dry(bulwark, tmp_path, text, *extra, name="rules.yaml"):
    f = tmp_path / name
    f.write_text(text) if isinstance(text, str) else f.write_bytes(text)
    return bulwark.run(["monitor", "--dry-run", "--rules", f, *extra], timeout=600)


RULE = """- rule: {name}
  desc: d
  condition: {cond}
  output: o %proc.name
  priority: WARNING
"""


def test_default_rules_load(bulwark):
    rc, out, err = bulwark.run(["monitor", "--dry-run"])
    assert rc == 0, err
    assert out.startswith("29 rules loaded (0 disabled), 0 skipped, 0 inert")
    assert "Terminal shell in container [NOTICE] on execve,execveat" in out


def test_falco_rules_file_loads_as_it_is(bulwark):
    check = bulwark.json(["monitor", "--dry-run", "--format", "json", "--rules", FALCO_RULES])
    assert check["schema"] == "bulwark.monitor-rules/v1"
    assert len(check["loaded"]) == 25 and check["skipped"] == [] and check["inert"] == []
    assert check["macros"] > 50 and check["lists"] > 30
    by = {r["rule"]: r for r in check["loaded"]}
    assert by["Read sensitive file untrusted"]["event_types"] == "open,openat,openat2"
    assert by["Terminal shell in container"]["event_types"] == "execve,execveat"
    assert by["Redirect STDOUT/STDIN to Network Connection in Container"]["event_types"] == "dup,dup2,dup3"
    # the kernel keeps only what the rules can use: Falco's sensitive files, writes, ".." paths
    kf = check["kernel_filter"]
    assert "/etc/shadow" in kf["path_prefixes"] and "/etc/pam.d/" in kf["path_prefixes"]
    assert "writes" in kf["gates"] and "dotdot" in kf["gates"] and "all-opens" not in kf["gates"]


def test_yaml_syntax_error_names_file_line_column(bulwark, tmp_path):
    rc, out, err = dry(bulwark, tmp_path, "- rule: x\n  desc: [unclosed\n")
    assert rc == 2
    assert "rules.yaml:3:1: YAML:" in err or "rules.yaml:2:" in err


@pytest.mark.parametrize("cond,expect", [
    ("proc.name = cat and", "position 19: unexpected end of condition"),
    ("proc.name = cat)", "position 15: unbalanced ')'"),
    ("(proc.name = cat", "position 0: unbalanced '('"),
    ("proc.name cat", "expected a comparison operator"),
    ("proc.name in (a, b", "unterminated list"),
    ('proc.name = "cat', "unterminated quoted string"),
])
def test_condition_syntax_error_names_rule_and_position(bulwark, tmp_path, cond, expect):
    rc, out, err = dry(bulwark, tmp_path, RULE.format(name="bad one", cond=cond))
    assert rc == 2, err
    # FILE:LINE:COLUMN of the error itself: the condition starts at line 3, column 14
    m = re.search(r"rules\.yaml:(\d+):(\d+): rule 'bad one': condition position (\d+): ", err)
    assert m, err
    assert int(m.group(1)) == 3 and int(m.group(2)) == 14 + int(m.group(3))
    assert expect in err


def test_unknown_field_is_an_error(bulwark, tmp_path):
    rc, out, err = dry(bulwark, tmp_path, RULE.format(name="typo", cond="evt.type = execve and proc.nmae = cat"))
    assert rc == 2
    assert "rule 'typo'" in err and "unknown field 'proc.nmae'" in err


def test_unknown_field_in_output_is_an_error(bulwark, tmp_path):
    text = RULE.format(name="out", cond="evt.type = execve").replace("o %proc.name", "o %proc.nmae")
    rc, out, err = dry(bulwark, tmp_path, text)
    assert rc == 2 and "rule 'out'" in err and "unknown field 'proc.nmae'" in err


def test_unsupported_field_is_an_error_or_skipped(bulwark, tmp_path):
    text = RULE.format(name="env", cond="evt.type = execve and proc.env contains AWS_") + \
        RULE.format(name="fine", cond="evt.type = execve and proc.name = cat")
    rc, out, err = dry(bulwark, tmp_path, text)
    assert rc == 2
    assert "rule 'env'" in err and "proc.env cannot be filled by the eBPF event source" in err
    assert "--skip-unsupported" in err
    rc, out, err = dry(bulwark, tmp_path, text, "--skip-unsupported", "--format", "json")
    assert rc == 0, err
    check = json.loads(out)
    assert [r["rule"] for r in check["skipped"]] == ["env"]
    assert [r["rule"] for r in check["loaded"]] == ["fine"]
    assert "1 rule skipped: 'env'" in err


def test_a_field_in_a_branch_that_cannot_happen_is_no_error(bulwark, tmp_path):
    """Falco's outbound macro names fd.name_changed under sendto, which this source does
    not record: folded away for connect, so the rule loads."""
    cond = "(evt.type = connect or (evt.type = sendto and proc.env contains X)) and fd.sport = 22"
    rc, out, err = dry(bulwark, tmp_path, RULE.format(name="branch", cond=cond))
    assert rc == 0, err
    assert "branch [WARNING] on connect" in out


def test_macro_cycle(bulwark, tmp_path):
    text = """- macro: a
  condition: proc.name = x or b
- macro: b
  condition: (a)
""" + RULE.format(name="loops", cond="evt.type = execve and a")
    rc, out, err = dry(bulwark, tmp_path, text)
    assert rc == 2
    assert "rule 'loops'" in err and "macro cycle: a -> b -> a" in err


def test_list_cycle(bulwark, tmp_path):
    text = """- list: a
  items: [b]
- list: b
  items: [x, a]
""" + RULE.format(name="lists", cond="proc.name in (a)")
    rc, out, err = dry(bulwark, tmp_path, text)
    assert rc == 2 and "rule 'lists'" in err and "includes itself" in err


def test_undefined_macro_and_append_to_nothing(bulwark, tmp_path):
    rc, out, err = dry(bulwark, tmp_path, RULE.format(name="m", cond="evt.type = execve and nosuchmacro"))
    assert rc == 2 and "undefined macro 'nosuchmacro'" in err
    rc, out, err = dry(bulwark, tmp_path, "- list: nothing\n  items: [a]\n  append: true\n")
    assert rc == 2 and "list 'nothing' has 'append' but no list by that name exists yet" in err
    rc, out, err = dry(bulwark, tmp_path, "- rule: nothing\n  condition: and x\n  append: true\n")
    assert rc == 2 and "rule 'nothing'" in err


def test_bad_values_priority_and_items(bulwark, tmp_path):
    for cond, expect in [("fd.sport = https", "is a number"), ("fd.sip = 300.1.1.1", "not an IP address"),
                         ("proc.name regex \"(\"", "regex"), ("user.uid contains 0", "needs a text field")]:
        rc, out, err = dry(bulwark, tmp_path, RULE.format(name="v", cond=cond))
        assert rc == 2 and expect in err, (cond, err)
    rc, out, err = dry(bulwark, tmp_path, RULE.format(name="p", cond="evt.type = execve").replace("WARNING", "LOUD"))
    assert rc == 2 and "unknown priority 'LOUD'" in err
    rc, out, err = dry(bulwark, tmp_path, "- list: l\n  items: {a: b}\n")
    assert rc == 2 and "'items' must be a list" in err
    rc, out, err = dry(bulwark, tmp_path, "- nonsense: x\n")
    assert rc == 2 and "unknown item 'nonsense'" in err
    rc, out, err = dry(bulwark, tmp_path, "rule: not a list\n")
    assert rc == 2 and "a rules file is a list of items" in err


def test_newer_engine_version_warns(bulwark, tmp_path):
    rc, out, err = dry(bulwark, tmp_path, "- required_engine_version: 9.0.0\n" +
                       RULE.format(name="ok", cond="evt.type = execve"))
    assert rc == 0
    assert "require Falco engine 9.0.0" in err


def test_deeply_nested_condition(bulwark, tmp_path):
    cond = "(" * 5000 + "proc.name = x" + ")" * 5000
    rc, out, err = dry(bulwark, tmp_path, RULE.format(name="deep", cond=cond))
    assert rc == 2 and "nested too deeply" in err


def test_ten_megabyte_rules_file_loads(bulwark, tmp_path):
    parts = ["- list: big_list\n  items: [" + ", ".join(f"name{i}" for i in range(2000)) + "]\n"]
    i = 0
    size = len(parts[0])
    while size < 10 * 1024 * 1024:
        r = (f"- rule: generated rule {i}\n  desc: {'x' * 200}\n"
             f"  condition: evt.type = execve and proc.name = n{i} and not proc.pname in (big_list) "
             f"and proc.cmdline contains '{'y' * 150}'\n"
             f"  output: rule {i} %proc.name %proc.cmdline\n  priority: NOTICE\n")
        parts.append(r)
        size += len(r)
        i += 1
    rc, out, err = dry(bulwark, tmp_path, "".join(parts), "--format", "json")
    assert rc == 0, err[-2000:]
    check = json.loads(out)
    assert len(check["loaded"]) == i


def test_ten_megabytes_of_junk_is_an_error(bulwark, tmp_path):
    junk = bytes((i * 131 + 7) % 251 for i in range(10 * 1024 * 1024))
    rc, out, err = dry(bulwark, tmp_path, junk)
    assert rc == 2
    assert "rules.yaml:" in err


def test_missing_rules_file(bulwark, tmp_path):
    rc, out, err = bulwark.run(["monitor", "--dry-run", "--rules", tmp_path / "nope.yaml"])
    assert rc == 3 and "nope.yaml" in err


def test_option_errors(bulwark):
    for args in (["--source", "kprobe"], ["--duration", "soon"], ["--max-events", "0"], ["--buffer-size", "1"],
                 ["--rate-limit", "-1"], ["--webhook", "ftp://x"], ["--format", "sarif"],
                 ["--drift-threshold", "2"], ["operand"]):
        rc, out, err = bulwark.run(["monitor", *args])
        assert rc == 2, (args, err)
