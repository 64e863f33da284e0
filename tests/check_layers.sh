#!/bin/sh
# Layer rules, checked by grep on the source tree (CI and `make check`):
#  1. core/ never includes curses;
#  2. tui/ and cli/ never call SQLite or libcurl directly (they ask core);
#  3. a folder's private headers (*_internal.h) are included only from inside that folder
#     (tests may look inside: they are white-box);
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
for f in core/*/*.c core/*/*.h tui/*.c tui/*.h cli/*.c cli/*.h; do
    dir=$(dirname "$f" | sed 's|^core/||')
    grep -n -o -E '#include *"[a-z_]+/[a-z_]+_internal\.h"' "$f" | while IFS= read -r line; do
        inc=$(printf '%s' "$line" | sed -E 's/.*"([a-z_]+)\/.*/\1/')
        if [ "$inc" != "$dir" ]; then
            echo "$f: $line: private header of $inc/ used from $dir/" >&2
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
