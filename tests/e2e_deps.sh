#!/bin/sh
# e2e_deps.sh — `make deps` installs everything the build, the tests, the benchmarks and CI
# use. tests/deps_check.py parses tests/*.sh, bench/*.sh, .ci/run and the Makefile's recipes
# for the commands they run (and the Python modules and libraries they use), maps each to its
# Debian package with dpkg -S, and requires that package in the Makefile's DEBS (make -s
# print-DEBS) or among the packages DEBS depends on. Exempt: shell builtins, functions of the
# scripts, the project's own programs, and the packages Debian installs everywhere (Priority:
# required, or Essential: yes: coreutils, grep, sed, mawk, findutils, diffutils, util-linux,
# dpkg...). So a new command in a script fails here until its package is in DEBS.
# Also checked: the parser on a script with every construct it must follow, and that a
# command from a package outside DEBS in a copy of the tree is reported.
set -u
# e2e-engines: none
top=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "e2e_deps: $*" >&2; exit 1; }
if ! command -v dpkg-query >/dev/null; then
    echo "e2e_deps: skipped: not a Debian system (no dpkg-query)"
    exit 77
fi
[ -x /usr/bin/python3 ] || fail "/usr/bin/python3 is required (python3: make deps)"
check="/usr/bin/python3 $top/tests/deps_check.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# The test may run under make: its jobserver flags are not for this make.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$top" "$@"; }

# 1. The parser: commands at every command position, and nothing else.
cat >"$tmp/fx.sh" <<'EOF'
#!/bin/sh
PY=/usr/bin/python3
T=/usr/bin/time
fn() { c_fn arg; }
x=$(c_subst -q)
y="$(c_quoted "$(c_nested)")" z=`c_backquote`
c_pipe1 | c_pipe2 && c_and || c_or; c_bg &
if c_if; then c_then; elif c_elif; then :; else c_else; fi
while c_while; do c_do; done
for w in no_1 no_2; do c_for "$w"; done
case $x in no_pattern) c_case1 ;; *) c_case2 ;; esac
env -u V A=1 c_env --flag
timeout -k 5 10 c_timeout
FOO=bar c_assign > no_file 2>&1 < no_file2
$T -f '%M' c_time
$PY -m m_dash_m -c 'import m_dash_c'
$PY - arg <<'PYEOF' || c_after_heredoc
import m_heredoc
no_heredoc_line
PYEOF
cat <<TXT
no_heredoc_text
TXT
command -v no_looked_up >/dev/null
fn
./no/relative
"$NO_VAR" arg
echo "no_in_string; no_2 | no_3" 'no_4 | no_5'
trap 'c_trap' EXIT
make CC=c_make_cc all \
    CONTINUED=1
[ -x /usr/bin/no_path ] && c_after_test ${V:-$(c_in_param)}
# no_comment
n=$((n + 1)); ( c_subshell )
{ c_group; }
EOF
got=$($check --scan "$tmp/fx.sh" | tr '\n' ' ')
want="command /usr/bin/python3 command /usr/bin/time command c_after_heredoc command c_after_test \
command c_and command c_assign command c_backquote command c_bg command c_case1 command c_case2 \
command c_do command c_elif command c_else command c_env command c_fn command c_for \
command c_group command c_if command c_in_param command c_make_cc command c_nested command c_or \
command c_pipe1 command c_pipe2 command c_quoted command c_subshell command c_subst \
command c_then command c_time command c_timeout command c_trap command c_while command cat \
command env command make command timeout module m_dash_c module m_dash_m module m_heredoc "
[ "$got" = "$want" ] || fail "the parser found: $got"

# 2. The tree as it is.
debs=$(mk print-DEBS) && cc=$(mk print-CC) || fail "make print-DEBS failed"
[ -n "$debs" ] || fail "DEBS is empty"
$check "$top" "$debs" "$cc" >"$tmp/out" 2>"$tmp/err" || fail "$(cat "$tmp/err")"
grep -q '^command  *sqlite3  *sqlite3$' "$tmp/out" || fail "sqlite3 not found in the scripts"
grep -q '^command  *scan-build  *clang-tools$' "$tmp/out" || fail "scan-build not found in the Makefile"

# 3. A new command from a package outside DEBS is caught (xxd, or one not installed at all).
mkdir "$tmp/top"
cp -R "$top/tests" "$top/bench" "$top/.ci" "$top/Makefile" "$tmp/top/"
printf '#!/bin/sh\nout=$(xxd -p "$1" | head -1)\n' >"$tmp/top/tests/e2e_new.sh"
$check "$tmp/top" "$debs" "$cc" >/dev/null 2>"$tmp/err" && fail "xxd in a test went unnoticed"
grep -q '^  command xxd (tests/e2e_new.sh:2)' "$tmp/err" || fail "unexpected report: $(cat "$tmp/err")"
echo "e2e_deps: ok ($(grep -c . "$tmp/out") commands, modules and libraries checked)"
