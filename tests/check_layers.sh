#!/bin/sh
# Layer rules, checked by grep on the source tree (CI and `make check`):
#  1. core/ never includes curses;
#  2. tui/ and cli/ never call SQLite or libcurl directly (they ask core);
#  3. a folder's private headers (*_internal.h, or "private to core/X" in their opening
#     comment) are included only from inside that folder (tests may look inside: white-box);
#  4. project includes are qualified by their folder ("store/store.h", "tui/tui.h").
# Prints each offending line and exits 1 when a rule is broken.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
bad=0
if grep -n -E '#include *<(n?curses|ncursesw/)' core/*/*.c core/*/*.h; then
    echo "check_layers: core/ must not include curses" >&2
    bad=1
fi
if grep -n -E '\b(sqlite3|curl)_[a-z_]+ *\(|#include *<(sqlite3\.h|curl/)' tui/*.c tui/*.h cli/*.c cli/*.h; then
    echo "check_layers: tui/ and cli/ must not call sqlite3_* or curl_* (ask core)" >&2
    bad=1
fi
# A private header: *_internal.h, or one whose opening comment says "private to core/X".
private_dir() {
    case "$1" in
    *_internal.h) dirname "$1" | sed 's|^core/||' ;;
    *) sed -n '1,3p' "$1" | grep -o 'private to core/[a-z]*' | head -1 | sed 's|.*core/||' ;;
    esac
}
for h in core/*/*.h; do
    owner=$(private_dir "$h")
    [ -n "$owner" ] || continue
    inc="$owner/$(basename "$h")"
    for f in core/*/*.c core/*/*.h tui/*.c tui/*.h cli/*.c cli/*.h; do
        case "$f" in core/"$owner"/*) continue ;; esac
        if grep -n "#include *\"$inc\"" "$f" >/dev/null; then
            echo "$f: includes $inc, private to core/$owner/" >&2
            echo x
        fi
    done
done | grep -q x && bad=1
if grep -n -E '#include *"[^"/]+"' core/*/*.c core/*/*.h tui/*.c tui/*.h cli/*.c cli/*.h; then
    echo "check_layers: include project headers by folder (\"store/store.h\")" >&2
    bad=1
fi
[ "$bad" -eq 0 ] && echo "check_layers: ok"
exit "$bad"
