#!/usr/bin/python3
"""deps_check.py — run by tests/e2e_deps.sh: every external command, Python module and library
that the test scripts, the bench scripts, .ci/run and the Makefile use must come from a Debian
package that `make deps` installs (the Makefile's DEBS, or a package they depend on).

What is collected, from the text of the files:
  - commands: the words at command positions of each shell script (tests/*.sh, bench/*.sh,
    .ci/run) and of each Makefile recipe and $(shell ...), parsed as POSIX sh: after ; & | &&
    || ( ) newlines and the keywords, inside $( ) and backquotes, after variable assignments
    and after the wrappers env, timeout, exec, nohup, command, flock, xargs and /usr/bin/time;
    `make CC=X` counts X; `$PY` counts as the literal path assigned to PY in the same file;
  - Python modules: `python3 -m MODULE`, and the imports of `python3 -c '...'`, of Python
    here-documents and of tests/fixtures/*.py;
  - libraries: the Makefile's pkg-config modules (PKGS, cmocka) and its -l flags.
Each command is looked up in the system PATH (/usr/sbin:/usr/bin:/sbin:/bin), each module
with /usr/bin/python3, each library with pkg-config or the compiler; the file is mapped to
its package with dpkg -S.

Exempt: shell keywords, builtins and functions defined in the scripts; the project's own
programs (relative paths, $LCMTUI and other variables); and packages Debian installs
everywhere (Priority: required, or Essential: yes), e.g. coreutils, grep, sed, mawk,
findutils, diffutils, util-linux, dpkg, libc-bin. Everything else must be in DEBS or in the
dependency closure of DEBS (Depends and Pre-Depends of the installed packages).

Usage: deps_check.py TOP "DEBS..." CC, or deps_check.py --scan SCRIPT... (what it collects)
Prints one line per item found and its package, then exits 1 listing what is missing."""
import ast
import collections
import os
import re
import subprocess
import sys

KEYWORDS_CMD = {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time"}
KEYWORDS_END = {"fi", "done", "esac"}
BUILTINS = {
    ".", ":", "[", "alias", "bg", "break", "cd", "command", "continue", "echo", "eval", "exec",
    "exit", "export", "false", "fg", "getopts", "hash", "jobs", "kill", "local", "printf", "pwd",
    "read", "readonly", "return", "set", "shift", "test", "times", "trap", "true", "type",
    "ulimit", "umask", "unalias", "unset", "wait", "source",
}
# Wrappers whose first non-option argument (after the listed option arguments) is a command.
WRAPPERS = {
    "env": {"-u", "--unset", "-C", "--chdir", "-S"},
    "timeout": {"-k", "--kill-after", "-s", "--signal"},
    "nohup": set(),
    "nice": {"-n"},
    "setsid": set(),
    "xargs": {"-I", "-n", "-P", "-d", "-L", "-s", "-E"},
    "flock": {"-w", "--timeout", "-E", "--conflict-exit-code"},
    "/usr/bin/time": {"-f", "--format", "-o", "--output"},
}
# Wrappers that take one more positional argument before the command.
WRAPPER_POSITIONAL = {"timeout": 1, "flock": 1}
SYSTEM_PATH = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]


class Word:
    def __init__(self, raw, literal, dynamic, line):
        self.raw = raw          # the source text
        self.literal = literal  # the value with quotes removed (expansions left as written)
        self.dynamic = dynamic  # holds an expansion ($x, $(...), `...`)
        self.line = line


class Op:
    def __init__(self, op, line):
        self.op = op
        self.line = line
        self.heredoc = None     # for << and <<-: {"delim", "strip", "body"}


class Scanner:
    """A small POSIX sh tokenizer. Command substitutions are scanned as scripts of their own
    (their tokens go to self.subs); here-document bodies are attached to their << token."""

    def __init__(self, text):
        self.s = text
        self.n = len(text)
        self.line = 1
        self.subs = []          # token lists of $( ) and ` `
        self.pending = []       # here-documents waiting for the end of the line
        self.bq = 0             # inside backquotes: a backquote ends the word

    def scan(self, i, until=None):
        toks = []
        depth = 0
        while i < self.n:
            c = self.s[i]
            if c == "\\" and i + 1 < self.n and self.s[i + 1] == "\n":
                i += 2
                self.line += 1
                continue
            if c in " \t":
                i += 1
                continue
            if c == "\n":
                toks.append(Op("\n", self.line))
                self.line += 1
                i += 1
                if self.pending:
                    i = self.read_heredocs(i)
                continue
            if c == "#":
                while i < self.n and self.s[i] != "\n":
                    i += 1
                continue
            if until == "`" and c == "`":
                return toks, i + 1
            if c == ")" and until == ")" and depth == 0:
                return toks, i + 1
            m = re.match(r"\d*(<<-|<<|>>|>&|<&|>\||<>|&&|\|\||;;|[;&|()<>])", self.s[i:])
            if m and (m.group(0)[0].isdigit() and m.group(1) in ("<<-", "<<", ">>", ">&", "<&",
                                                              ">|", "<>", "<", ">")
                      or not m.group(0)[0].isdigit()):
                op = m.group(1)
                if op == "(":
                    depth += 1
                elif op == ")":
                    depth -= 1
                t = Op(op, self.line)
                toks.append(t)
                i += len(m.group(0))
                if op in ("<<", "<<-"):
                    while i < self.n and self.s[i] in " \t":
                        i += 1
                    w, i = self.word(i)
                    t.heredoc = {"delim": w.literal, "strip": op == "<<-", "body": ""}
                    self.pending.append(t.heredoc)
                continue
            w, i = self.word(i)
            toks.append(w)
        return toks, i

    def read_heredocs(self, i):
        for h in self.pending:
            body = []
            while i < self.n:
                j = self.s.find("\n", i)
                j = self.n if j < 0 else j
                ln = self.s[i:j]
                i = j + 1
                self.line += 1
                if (ln.lstrip("\t") if h["strip"] else ln) == h["delim"]:
                    break
                body.append(ln)
            h["body"] = "\n".join(body)
        self.pending = []
        return i

    def subst(self, i, until):
        self.bq += until == "`"
        toks, i = self.scan(i, until)
        self.bq -= until == "`"
        self.subs.append(toks)
        return i

    def word(self, i):
        start, line = i, self.line
        lit, dyn = [], False
        while i < self.n:
            c = self.s[i]
            if c in " \t\n;&|()<>" or (c == "`" and self.bq):
                break
            if c == "\\":
                if i + 1 < self.n and self.s[i + 1] == "\n":
                    i += 2
                    self.line += 1
                    continue
                lit.append(self.s[i + 1:i + 2])
                i += 2
            elif c == "'":
                j = self.s.find("'", i + 1)
                j = self.n if j < 0 else j
                lit.append(self.s[i + 1:j])
                self.line += self.s.count("\n", i, j)
                i = j + 1
            elif c == '"':
                i += 1
                while i < self.n and self.s[i] != '"':
                    if self.s[i] == "\\" and i + 1 < self.n:
                        lit.append(self.s[i + 1])
                        i += 2
                    elif self.s[i] == "$" or self.s[i] == "`":
                        i, d = self.dollar(i, lit)
                        dyn = dyn or d
                    else:
                        if self.s[i] == "\n":
                            self.line += 1
                        lit.append(self.s[i])
                        i += 1
                i += 1
            elif c == "$" or c == "`":
                i, d = self.dollar(i, lit)
                dyn = dyn or d
            else:
                lit.append(c)
                i += 1
        return Word(self.s[start:i], "".join(lit), dyn, line), i

    def dollar(self, i, lit):
        """An expansion at i ($..., `...`); returns the index after it and whether it is one."""
        s = self.s
        if s[i] == "`":
            lit.append("$(...)")
            return self.subst(i + 1, "`"), True
        nxt = s[i + 1:i + 2]
        if s.startswith("$((", i):
            depth, j = 0, i + 1
            while j < self.n:
                if s[j] == "(":
                    depth += 1
                elif s[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            lit.append(s[i:j + 1])
            return j + 1, True
        if nxt == "(":
            lit.append("$(...)")
            return self.subst(i + 2, ")"), True
        if nxt == "{":
            depth, j = 0, i + 1
            while j < self.n:
                if s[j] == "{":
                    depth += 1
                elif s[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                elif s[j] == "$" and s[j + 1:j + 2] == "(":
                    j = self.subst(j + 2, ")")
                    continue
                j += 1
            lit.append(s[i:j + 1])
            return j + 1, True
        m = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*|[0-9#?*@!$-])", s[i:])
        if m:
            lit.append(m.group(0))
            return i + len(m.group(0)), True
        lit.append("$")
        return i + 1, False


class Collector:
    def __init__(self):
        self.commands = {}      # name -> [where]
        self.modules = {}       # python module -> [where]
        self.functions = set()

    def add(self, table, name, where):
        table.setdefault(name, [])
        if where not in table[name]:
            table[name].append(where)

    def python_code(self, code, where):
        try:
            tree = ast.parse(code)
        except SyntaxError:
            return
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    self.add(self.modules, a.name.split(".")[0], where)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                self.add(self.modules, node.module.split(".")[0], where)

    def script(self, text, fname):
        sc = Scanner(text)
        toks, _ = sc.scan(0)
        assigns = {}
        lists = [toks] + sc.subs
        # assignments first (PY=/usr/bin/python3 is used as $PY before or after)
        for ts in lists:
            for t in ts:
                if isinstance(t, Word):
                    m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", t.literal, re.S)
                    if m and not t.raw.startswith(("'", '"')):
                        assigns[m.group(1)] = m.group(2)
        for ts in lists:
            self.tokens(ts, fname, assigns)

    def resolve_var(self, w, assigns):
        """$NAME as a command: the absolute path NAME is assigned in the same file, if any."""
        m = re.match(r"^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$", w.literal)
        if not m or m.group(1) not in assigns:
            return None
        v = assigns[m.group(1)].split()
        return v[0] if v and re.match(r"^/[^$`]*$", v[0]) else None

    def tokens(self, toks, fname, assigns):
        at_cmd, state = True, None
        cmd = None              # the command of the current simple command
        args = []
        wrap = None             # the wrapper being read: name, positionals left, state
        skip_next = False       # the word after a redirection, or an option's argument
        i = 0

        def end_command():
            nonlocal cmd, args, wrap
            if cmd:
                self.command_args(cmd, args)
            cmd, args, wrap = None, [], None

        while i < len(toks):
            t = toks[i]
            where = "%s:%d" % (fname, t.line)
            if isinstance(t, Op):
                if t.op in ("<", ">", ">>", ">&", "<&", ">|", "<>", "<<", "<<-"):
                    if t.heredoc is not None:
                        if cmd and is_python(cmd[0]):
                            self.python_code(t.heredoc["body"], where)
                    else:
                        skip_next = True
                    i += 1
                    continue
                if t.op == ")" and state == "case_pat":
                    state = None
                    at_cmd = True
                    i += 1
                    continue
                if t.op == "(" and i > 0 and isinstance(toks[i - 1], Word) and \
                        i + 1 < len(toks) and isinstance(toks[i + 1], Op) and toks[i + 1].op == ")":
                    self.functions.add(toks[i - 1].literal)   # name() { ... }
                    cmd = None
                    i += 2
                    at_cmd = True
                    continue
                end_command()
                if t.op == ";;":
                    state = "case_pat"
                if t.op in ("\n", ";") and state == "for":
                    state = None
                at_cmd = state != "case_pat"
                i += 1
                continue
            # a word
            if skip_next:
                skip_next = False
                i += 1
                continue
            if state == "case_word":
                if t.literal == "in":
                    state = "case_pat"
                i += 1
                continue
            if state == "case_pat":
                if t.literal == "esac":
                    state = None
                i += 1
                continue
            if state == "for":
                i += 1
                continue
            if not at_cmd:
                args.append(t)
                if wrap:
                    self.wrapped(t, wrap, where, assigns)
                i += 1
                continue
            lit = t.literal
            if re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", t.raw):
                i += 1          # an assignment before the command
                continue
            if not t.dynamic and lit in KEYWORDS_CMD | KEYWORDS_END:
                i += 1
                continue
            if not t.dynamic and lit == "case":
                state = "case_word"
                i += 1
                continue
            if not t.dynamic and lit == "for":
                state = "for"
                i += 1
                continue
            at_cmd = False
            name = self.resolve_var(t, assigns) if t.dynamic else lit
            cmd = (name, where) if name else None
            args = []
            if name:
                self.command(name, where)
                if name in WRAPPERS or name in ("command", "exec"):
                    wrap = {"name": name, "left": WRAPPER_POSITIONAL.get(name, 0),
                            "state": "opts"}
            i += 1
        end_command()

    def wrapped(self, t, wrap, where, assigns):
        """An argument of a wrapper: options and their values, then the wrapped command."""
        name, lit = wrap["name"], t.literal
        if wrap["state"] == "done":
            return
        if wrap["state"] == "optarg":
            wrap["state"] = "opts"
            return
        if not t.dynamic and lit.startswith("-") and lit != "-":
            if name == "command" and lit in ("-v", "-V"):
                wrap["state"] = "done"  # command -v X only looks X up
            elif lit in WRAPPERS.get(name, set()):
                wrap["state"] = "optarg"
            return
        if name == "env" and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", t.raw):
            return
        if wrap["left"] > 0:
            wrap["left"] -= 1
            return
        wrap["state"] = "done"
        target = self.resolve_var(t, assigns) if t.dynamic else lit
        if target:
            self.command(target, where)

    def command(self, name, where):
        if name in BUILTINS or name in KEYWORDS_CMD or "=" in name:
            return
        if "/" in name and not name.startswith("/"):
            return              # the project's own scripts and programs
        self.add(self.commands, name, where)

    def command_args(self, cmd, args):
        name, where = cmd
        if name in ("make", "scan-build"):
            for a in args:
                m = re.match(r"^(?:CC|--use-cc)=(\S+)$", a.literal)
                if m and not a.dynamic:
                    self.command(m.group(1), where)
        if is_python(name):
            for k, a in enumerate(args):
                if a.literal == "-m" and k + 1 < len(args):
                    self.add(self.modules, args[k + 1].literal.split(".")[0], where)
                if a.literal == "-c" and k + 1 < len(args):
                    self.python_code(args[k + 1].literal, where)
        if name in ("trap", "sh", "bash") and args:
            code = args[0] if name == "trap" else (args[1] if len(args) > 1 and
                                                   args[0].literal == "-c" else None)
            if code is not None and not code.dynamic:
                self.script(code.literal + "\n", where.split(":")[0])

    def makefile(self, text, fname, make_vars):
        lines = text.split("\n")
        recipes, k = [], 0
        while k < len(lines):
            ln, start = lines[k], k + 1
            while ln.endswith("\\") and k + 1 < len(lines):
                k += 1
                ln = ln[:-1] + " " + lines[k].lstrip("\t")
            k += 1
            for m in re.finditer(r"\$\(shell ([^()]*(?:\([^()]*\)[^()]*)*)\)", ln):
                recipes.append((start, m.group(1)))
            if ln.startswith("\t"):
                recipes.append((start, ln.lstrip("\t").lstrip("@-+")))
        for start, sh in recipes:
            sh = sh.replace("$$", "\0")
            for _ in range(4):  # make references, innermost first
                sh = re.sub(r"\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]",
                            lambda m: make_vars.get(m.group(1), "$MK_" + m.group(1)), sh)
                sh = re.sub(r"\$[({][a-z]+ [^(){}]*[)}]", "$MK_FN", sh)
                sh = re.sub(r"\$[({][A-Za-z_][A-Za-z0-9_]*:[^(){}]*[)}]", "$MK_SUBST", sh)
            sh = re.sub(r"\$[@<^*?]", "$MK_AUTO", sh).replace("\0", "$")
            self.script("\n" * (start - 1) + sh + "\n", fname)


def is_python(name):
    return bool(re.match(r"^(/usr/bin/)?python3(\.\d+)?$", name or ""))


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def which(name):
    if name.startswith("/"):
        return name if os.access(name, os.X_OK) else None
    for d in SYSTEM_PATH:
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def variants(path):
    """path, its target (alternatives), and their other spelling under usrmerge."""
    tries = [path, os.path.realpath(path)]
    for p in list(tries):
        for a, b in (("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/"), ("/usr/lib/", "/lib/")):
            if p.startswith(a):
                tries.append(b + p[len(a):])
            elif p.startswith(b):
                tries.append(a + p[len(b):])
    return tries


def owners(paths):
    """{path: package} for the paths Debian packages hold (one dpkg -S for all)."""
    want = sorted({v for p in paths for v in variants(p)})
    r = run(["dpkg", "-S"] + want)
    found = {}
    for ln in r.stdout.splitlines():
        if ln.startswith("diversion ") or ": " not in ln:
            continue
        pkg, path = ln.split(": ", 1)
        found.setdefault(path, pkg.split(",")[0].strip().split(":")[0])
    out = {}
    for p in paths:
        for v in variants(p):
            if v in found:
                out[p] = found[v]
                break
    return out


def installed_packages():
    r = run(["dpkg-query", "-W", "-f",
             "${Package}\t${Status}\t${Priority}\t${Essential}\t${Provides}\t"
             "${Depends}, ${Pre-Depends}\n"])
    pk = {}
    for ln in r.stdout.splitlines():
        name, status, prio, ess, prov, deps = (ln.split("\t") + [""] * 6)[:6]
        if "ok installed" not in status:
            continue
        dn = set()
        for alt in re.split(r"[,|]", deps):
            alt = alt.strip().split(" ")[0].split(":")[0]
            if alt:
                dn.add(alt)
        provides = {p.strip().split(" ")[0] for p in prov.split(",") if p.strip()}
        pk[name] = {"prio": prio, "essential": ess == "yes", "deps": dn, "provides": provides}
    return pk


def closure(roots, pk):
    providers = {}
    for name, p in pk.items():
        for v in p["provides"]:
            providers.setdefault(v, set()).add(name)
    # breadth first, roots in their order: each package is credited to the nearest root
    via, todo = {}, collections.deque()
    for r in roots:
        via[r] = r
        todo.append(r)
    while todo:
        cur = todo.popleft()
        for d in pk.get(cur, {}).get("deps", ()):
            for real in {d} | providers.get(d, set()):
                if real not in via:
                    via[real] = via[cur]
                    todo.append(real)
    return via


def scan_only(files):
    """--scan FILE...: print what the parser collects (for tests/e2e_deps.sh's own check)."""
    col = Collector()
    for f in files:
        col.script(open(f, encoding="utf-8").read(), f)
    for c in sorted(set(col.commands) - col.functions):
        print("command", c)
    for m in sorted(col.modules):
        print("module", m)
    return 0


def collect(top, cc):
    """Parses the scripts, the Makefile and the fixtures of the tree at top."""
    col = Collector()
    files = sorted(f for d in ("tests", "bench") for f in
                   (os.path.join(d, x) for x in os.listdir(os.path.join(top, d)))
                   if f.endswith(".sh"))
    files.append(".ci/run")
    for f in files:
        col.script(open(os.path.join(top, f), encoding="utf-8").read(), f)
    mk = open(os.path.join(top, "Makefile"), encoding="utf-8").read()
    col.makefile(mk, "Makefile", {"CC": cc, "MAKE": "make"})
    fx = os.path.join(top, "tests", "fixtures")
    for f in sorted(os.listdir(fx)):
        if f.endswith(".py"):
            col.python_code(open(os.path.join(fx, f), encoding="utf-8").read(),
                            "tests/fixtures/" + f)
    for c in col.functions:
        col.commands.pop(c, None)
    return col, mk


def module_files(mods):
    """{module: the file /usr/bin/python3 imports it from, or None when it has none}."""
    code = ("import importlib.util, sys\n"
            "for m in sys.argv[1:]:\n"
            "    try:\n"
            "        s = importlib.util.find_spec(m)\n"
            "    except Exception:\n"
            "        s = None\n"
            "    print(m, s.origin if s and s.origin else ('-' if s else '?'))\n")
    r = run(["/usr/bin/python3", "-c", code] + mods)
    origin = dict(ln.split(" ", 1) for ln in r.stdout.splitlines())
    out = {}
    for m in mods:
        o = origin.get(m, "?")
        out[m] = None if o == "?" else "/usr/bin/python3" if o in ("-", "built-in", "frozen") else o
    return out


def items_of(col, mk, cc):
    """[(kind, name, the file it is, or None when not found, [where used])]."""
    items = [("command", n, which(n), col.commands[n]) for n in sorted(col.commands)]
    files = module_files(sorted(col.modules))
    items += [("python module", m, files[m], col.modules[m]) for m in sorted(col.modules)]
    # Libraries of the build: pkg-config modules and -l flags of the Makefile.
    pkgs = re.search(r"^PKGS\s*:=\s*(.*)$", mk, re.M).group(1).split() + ["cmocka"]
    for p in pkgs:
        r = run(["pkg-config", "--path", p])
        items.append(("pkg-config module", p, r.stdout.strip() or None, ["Makefile"]))
    for lib in sorted(set(re.findall(r"(?<![\w$(-])-l([a-z0-9_]+)", mk))):
        p = None
        for ext in ("so", "a"):
            r = run([cc, "-print-file-name=lib%s.%s" % (lib, ext)])
            if r.stdout.strip().startswith("/"):
                p = os.path.normpath(r.stdout.strip())
                break
        items.append(("library", "-l" + lib, p, ["Makefile"]))
    return items


def check(items, debs):
    """Prints each item with its package; returns 1 when one is not brought by DEBS."""
    pk = installed_packages()
    via = closure(debs, pk)
    own = owners([it[2] for it in items if it[2]])
    bad, used = [], set()
    for kind, name, path, where in items:
        pkg = own.get(path) if path else None
        if not path:
            why = "not found (install it, and add its package to DEBS)"
        elif not pkg:
            why = "%s is not from a Debian package" % path
        elif pkg in debs:
            used.add(pkg)
            why = pkg
        elif pk.get(pkg, {}).get("prio") == "required" or pk.get(pkg, {}).get("essential"):
            why = pkg + " (required: installed everywhere)"
        elif pkg in via:
            used.add(via[pkg])
            why = "%s (from %s)" % (pkg, via[pkg])
        else:
            why = None
        print("%-18s %-22s %s" % (kind, name, why or pkg + ": NOT IN DEBS"))
        if not why or not path or not pkg:
            bad.append("%s %s (%s): %s" % (kind, name, ", ".join(where[:3]),
                                          why or "add %s to DEBS in the Makefile" % pkg))
    unused = [d for d in debs if d not in used]
    if unused:
        print("note: DEBS entries no command, module or library above comes from: "
              + " ".join(unused))
    if bad:
        print("\nmissing from `make deps`:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1
    return 0


def main():
    if sys.argv[1] == "--scan":
        return scan_only(sys.argv[2:])
    top, debs, cc = sys.argv[1], sys.argv[2].split(), sys.argv[3]
    col, mk = collect(top, cc)
    return check(items_of(col, mk, cc), debs)


if __name__ == "__main__":
    sys.exit(main())
