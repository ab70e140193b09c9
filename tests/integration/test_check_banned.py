"""scripts/check-banned.py: the machine check of src/core/banned.h's rules finds a
banned call and a system header read after banned.h, and the tree has none."""
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts/check-banned.py"


def check(root):
    return subprocess.run([sys.executable, str(SCRIPT), "--root", str(root)], capture_output=True, text=True,
                          timeout=120)


def test_the_tree_passes():
    p = check(ROOT)
    assert p.returncode == 0, p.stdout + p.stderr


def test_banned_calls_and_late_system_headers_are_found(tmp_path):
    src = tmp_path / "src"
    (src / "core").mkdir(parents=True)
    (src / "mod").mkdir()
    shutil.copy(ROOT / "src/core/banned.h", src / "core/banned.h")
    (src / "core/core.h").write_text('#include <string.h>\n#include "banned.h"\n')
    (src / "mod/mod.h").write_text('#include "core/core.h"\n#include <jansson.h>\n')
    (src / "mod/ok.c").write_text('#include <time.h>\n\n#include "core/core.h"\n'
                                  '/* isalpha(c) in a comment */ static const char *s = "strcpy(a, b)";\n'
                                  'int f(int c) { return (isalpha)(c); }\n')
    (src / "mod/bad.c").write_text('#include "mod.h"\n\n#include <ctype.h>\n'
                                   'int g(const char *s) { return isalpha(s[0]) + atoi (s); }\n')
    p = check(tmp_path)
    assert p.returncode == 1, p.stdout
    out = p.stdout
    assert "src/mod/bad.c:4: calls isalpha()" in out and "src/mod/bad.c:4: calls atoi()" in out
    assert "src/mod/bad.c:3: <ctype.h> after \"mod.h\"" in out
    assert "src/mod/mod.h:2: <jansson.h> after \"core/core.h\"" in out
    # read after banned.h through mod.h, and <ctype.h> directly
    assert "src/mod/bad.c: <jansson.h> (src/mod/mod.h:2 via src/mod/bad.c:1)" in out
    assert "src/mod/bad.c: <ctype.h> (src/mod/bad.c:3)" in out
    assert "ok.c" not in out, out
