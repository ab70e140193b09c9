"""Random and adversarial version generators for the differential tests.
Every generator takes a random.Random so a seed reproduces a run."""

NON_ASCII = ["é", "ü", "中", "😀", "ß", "\u00a0", "\u2003", "\ufeff", "\u0301"]
BIG = ["18446744073709551615", "18446744073709551616", "99999999999999999999999",
       "9007199254740991", "9007199254740992", "9007199254740993", "2147483647", "2147483648",
       "4294967296", "0000000000000000000001"]


def number(r, big=True):
    x = r.random()
    if x < 0.45:
        return str(r.randint(0, 9))
    if x < 0.75:
        return str(r.randint(0, 120))
    if x < 0.85:
        return "0" * r.randint(1, 3) + str(r.randint(0, 99))
    if not big or x < 0.92:
        return str(r.randint(0, 10**6))
    if x < 0.98:
        return r.choice(BIG)
    return str(r.randint(1, 9)) + "".join(r.choice("0123456789") for _ in range(r.choice([30, 100, 1000])))


def mutate(r, s, alphabet):
    """A nearby string: change, insert or delete a character, or bump a digit."""
    if not s:
        return r.choice(alphabet)
    i = r.randrange(len(s))
    op = r.random()
    if op < 0.3:
        return s[:i] + r.choice(alphabet) + s[i + 1:]
    if op < 0.55:
        return s[:i] + r.choice(alphabet) + s[i:]
    if op < 0.7:
        return s[:i] + s[i + 1:]
    if op < 0.85:
        return s + r.choice(alphabet) + (number(r) if r.random() < 0.5 else "")
    return s[:i]


def pairs(r, n, one, alphabet):
    out = []
    for _ in range(n):
        a = one(r)
        x = r.random()
        if x < 0.15:
            b = a
        elif x < 0.6:
            b = mutate(r, a, alphabet)
            if r.random() < 0.3:
                b = mutate(r, b, alphabet)
        else:
            b = one(r)
        if r.random() < 0.5:
            a, b = b, a
        out.append((a, b))
    return out


# ---- dpkg -----------------------------------------------------------------

DEB_ALPHA = list("0123456789") * 3 + list("abzAZ.+~-:") * 2 + ["~~", "..", "++", "-", " ", "é", "_", "!", "~1", "a1"]


def deb_part(r, first_digit=True):
    s = number(r) if first_digit else ""
    for _ in range(r.randint(0, 5)):
        x = r.random()
        if x < 0.35:
            s += "." + number(r)
        elif x < 0.5:
            s += r.choice(["~", "~~", "+", "~rc", "~beta", "+dfsg", "+deb12u"]) + number(r)
        elif x < 0.65:
            s += r.choice(["a", "b", "z", "A", "Z", "build", "ubuntu", "git"])
        elif x < 0.72:
            s += r.choice(["..", "++", "+~", "~+", ":", "-", ".", "~", "+"])
        elif x < 0.9:
            s += number(r)
        else:
            s += r.choice(DEB_ALPHA)
    return s


def deb_one(r):
    x = r.random()
    if x < 0.02:
        return r.choice(["", " ", ":", "-", "1:", ":1", "1-", "-1", "a", "~", "1 2", " 1.0", "1.0 ", "\t1.0",
                         "+1:2", "-0:1", "-1:1", "2147483647:1", "2147483648:1", "1a:1", "1:1:1", "1-1-1", "0:0"])
    s = ""
    if r.random() < 0.2:
        s += r.choice([number(r), "0", "1", "+1", "-0", "", "a"]) + ":"
    s += deb_part(r, r.random() < 0.97)
    if r.random() < 0.5:
        s += "-" + deb_part(r, r.random() < 0.8)
    if r.random() < 0.01:
        s = r.choice([" ", "  ", "\t"]) + s
    if r.random() < 0.01:
        s += r.choice([" ", "\r", "\x0b"])
    if r.random() < 0.01:
        i = r.randrange(len(s) + 1)
        s = s[:i] + r.choice(NON_ASCII + [" "]) + s[i:]
    return s


# ---- rpm ------------------------------------------------------------------

RPM_ALPHA = list("0123456789") * 2 + list("abcZ.~^_+") * 2 + ["~~", "^^", "..", "é", "中", "%", "{", "}"]


def rpm_part(r):
    s = ""
    for _ in range(r.randint(1, 6)):
        x = r.random()
        if x < 0.4:
            s += number(r)
        elif x < 0.6:
            s += r.choice(["a", "b", "rc", "fc", "el", "alpha", "Z", "git", "p"])
        elif x < 0.85:
            s += r.choice([".", ".", "_", "+", "~", "^", "..", "~~", "^^", "~^", "^~"])
        else:
            s += r.choice(RPM_ALPHA)
    return s


def rpm_one(r):
    if r.random() < 0.01:
        return r.choice(["", "-", ":", "1:", ":1", "1-", "-1", "a:1", "1 2", "\x01"])
    s = ""
    if r.random() < 0.2:
        s += r.choice([number(r), "0", "1", "00"]) + ":"
    s += rpm_part(r)
    if r.random() < 0.7:
        s += "-" + rpm_part(r)
    return s


# ---- SemVer / node-semver --------------------------------------------------

IDENTS = ["alpha", "beta", "rc", "0", "1", "2", "10", "x", "a-b", "-", "--", "0a", "a0", "Z", "z", "alpha", "1",
          "9007199254740991", "9007199254740992", "9007199254740993", "9007199254740994",
          "18446744073709551616", "123456789012345678901234567890"]


def dotted(r, idents):
    return ".".join(r.choice(idents) if r.random() < 0.8 else (number(r) if r.random() < 0.3 else str(r.randint(0, 30)))
                    for _ in range(r.randint(1, 4)))


def semver_one(r, npm=True):
    x = r.random()
    if x < 0.02:
        return r.choice(["", "1", "1.2", "1.2.3.4", "v", "=1.2.3", "1.2.3-", "1.2.3+", "1.2.3-a..b",
                         "01.2.3", "1.02.3", "1.2.03", "1.2.3-01", "1.2.3+01", " 1.2.3 ", "v1.2.3", "V1.2.3",
                         "1.2.3-\u00e9", "\u00a01.2.3", "1.2.3\ufeff", "1.2.3 -alpha", "x.2.3", "1.2.3-a+b+c",
                         "1.2.3-" + "a" * 260, "1.2.3+" + "b" * 250, "1.2.3-" + "a" * 247, "1.2.3-" + "a" * 251])
    s = ".".join((str(r.randint(0, 20)) if r.random() < 0.8 else number(r, big=r.random() < 0.3))
                 if r.random() < 0.99 else r.choice(["x", "", "01", "-1"]) for _ in range(3))
    if r.random() < 0.5:
        s += "-" + dotted(r, IDENTS)
    if r.random() < 0.15:
        s += "+" + dotted(r, ["build", "001", "sha", "a-b", "x"])
    if npm and r.random() < 0.08:
        s = r.choice(["v", " ", "\u00a0", "\t", "vv", "="]) + s
    if npm and r.random() < 0.04:
        s += r.choice([" ", "\u2028", "\ufeff", "\n"[:0] + "\x0b"])
    if r.random() < 0.01:
        i = r.randrange(len(s) + 1)
        s = s[:i] + r.choice(NON_ASCII) + s[i:]
    return s


SEMVER_ALPHA = list("0123456789.-+") + ["a", "x", "v", "0", "9"]


def partial(r):
    n = r.choice([1, 2, 3, 3, 3])
    parts = []
    for _ in range(n):
        x = r.random()
        parts.append(r.choice(["x", "X", "*"]) if x < 0.15 else (str(r.randint(0, 12)) if x < 0.9 else number(r, big=x > 0.97)))
    s = ".".join(parts)
    if n == 3 and r.random() < 0.3:
        s += "-" + dotted(r, ["alpha", "beta", "0", "1", "rc", "pre"])
    if r.random() < 0.08:
        s += "+build." + str(r.randint(0, 9))
    if r.random() < 0.05:
        s = r.choice(["v", "=", "v=", "=v"]) + s
    return s


def npm_comparator(r):
    x = r.random()
    if x < 0.03:
        return r.choice(["*", "x", "", "foo", "1.2.3.4", "01.2.3", "~", "^", ">", "<=", "*1.2.3", "1.x.3", "x.1",
                         ">=0.0.0", "<0.0.0-0", "latest", "||", "1.2.3-", "=*", ">*", "<x", "^x", "~*"])
    op = r.choice(["", "", "=", "<", ">", "<=", ">=", "~", "~>", "^", "^", "~"])
    sp = " " if (op and r.random() < 0.1) else ""
    return op + sp + partial(r)


def npm_range(r):
    alts = []
    for _ in range(r.choice([1, 1, 1, 2, 3])):
        if r.random() < 0.15:
            alts.append(partial(r) + " - " + partial(r))
        else:
            alts.append(" ".join(npm_comparator(r) for _ in range(r.choice([1, 1, 2, 3]))))
    sep = r.choice([" || ", "||", " ||", "|| "])
    s = sep.join(alts)
    if r.random() < 0.05:
        s = r.choice([" ", "  ", "\t", "\u00a0"]) + s + r.choice(["", " ", "\n"[:0]])
    return s


def npm_version_for_range(r):
    s = ".".join(str(r.choice([0, 0, 1, 1, 2, 3, 10])) for _ in range(3))
    if r.random() < 0.3:
        s += "-" + dotted(r, ["alpha", "beta", "0", "1", "rc", "pre"])
    if r.random() < 0.03:
        s = semver_one(r)
    return s


# ---- PEP 440 --------------------------------------------------------------

PRE = ["a", "b", "c", "rc", "alpha", "beta", "pre", "preview", "A", "RC", "Alpha", "PREVIEW"]
POST = ["post", "rev", "r", "POST", "Rev"]
SEPS = ["", "", "", ".", "-", "_"]


def pep440_one(r):
    x = r.random()
    if x < 0.02:
        return r.choice(["", "v", "1.", ".1", "1..0", "1.0+", "1.0+a..b", "1!", "!1", "1.0-", "1.0a-", "1.0.post.",
                         "1.0dev_", "1.0-1-1", "1.0+local version", " 1.0", "1.0\t", "\u00a01.0", "1.0\u3000",
                         "1.0\x1c", "1.0é", "1.0+ü", "1.0_a", "1.0--1", "1.0a--1", "V1.0", "1.0.DEV", "1.0-post"])
    s = ""
    if r.random() < 0.05:
        s += "v"
    if r.random() < 0.1:
        s += number(r) + "!"
    s += ".".join(number(r) for _ in range(r.choice([1, 2, 2, 3, 3, 4, 6])))
    if r.random() < 0.35:
        s += r.choice(SEPS) + r.choice(PRE) + r.choice(SEPS) + (number(r) if r.random() < 0.8 else "")
    if r.random() < 0.25:
        if r.random() < 0.3:
            s += "-" + number(r)
        else:
            s += r.choice(SEPS) + r.choice(POST) + r.choice(SEPS) + (number(r) if r.random() < 0.8 else "")
    if r.random() < 0.25:
        s += r.choice(SEPS) + r.choice(["dev", "DEV"]) + r.choice(SEPS) + (number(r) if r.random() < 0.8 else "")
    if r.random() < 0.15:
        s += "+" + r.choice(SEPS[3:]).join(r.choice(["abc", "ubuntu", "1", "01", "Z", "deadbeef", "x1"])
                                           for _ in range(r.randint(1, 3)))
    if r.random() < 0.02:
        s = r.choice([" ", "\t", "\u00a0"]) + s + r.choice(["", " ", "\u2003"])
    if r.random() < 0.01:
        i = r.randrange(len(s) + 1)
        s = s[:i] + r.choice(NON_ASCII[:6] + [".", "-", "_", "+", "!"]) + s[i:]
    return s


PEP_ALPHA = list("0123456789.-_+!") + ["a", "b", "rc", "post", "dev", "v"]


def pep440_simple(r, epoch=True, local=True, wildcard=False):
    s = ""
    if epoch and r.random() < 0.05:
        s += "1!"
    s += ".".join(str(r.choice([0, 1, 1, 2, 3, 10])) for _ in range(r.choice([1, 2, 2, 3])))
    if wildcard:
        return s + ".*"
    if r.random() < 0.25:
        s += r.choice(["a", "b", "rc", ".dev", "a1.dev"]) + str(r.randint(0, 2))
    if r.random() < 0.15:
        s += ".post" + str(r.randint(0, 2))
    if local and r.random() < 0.1:
        s += "+" + r.choice(["local", "1", "abc.2"])
    return s


def pep440_spec(r):
    specs = []
    for _ in range(r.choice([1, 1, 2, 2, 3])):
        op = r.choice(["==", "!=", "<", ">", "<=", ">=", "~=", "===", "==", "!="])
        if op in ("==", "!=") and r.random() < 0.3:
            v = pep440_simple(r, epoch=False, wildcard=True)
        elif op == "~=":
            v = pep440_simple(r, local=False)
            if "." not in v.split("!")[-1].split("a")[0].split("b")[0].split("rc")[0] and r.random() < 0.8:
                v = "1." + v
        elif op in ("==", "!=", "==="):
            v = pep440_simple(r)
        else:
            v = pep440_simple(r, local=False)
        if r.random() < 0.03:
            v = r.choice(["", "1.0+x", "foo", "1.*", "1.0a1.*", "1", "1.0.*+x"])
        sp = r.choice(["", "", " "])
        specs.append(op + sp + v)
    s = r.choice([",", ", ", " ,"]).join(specs)
    if r.random() < 0.02:
        s = r.choice(["", ",", " ", ",,", "garbage", ">=1.0;", ">= 1.0 , <2"])
    return s
