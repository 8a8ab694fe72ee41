#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_layers.sh: the source tree keeps its shape. user/ is three layers under main.c,
# sys/ (the kernel and the OS) < core/ (instances, tables) < cmd/ (one mode each), and a
# file includes only its own layer and those below; no project header, in user/, kern/ or
# maps/, is reached again from what it includes.
SUITE=test_layers
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

rank() {
	case $1 in
	user/sys/*|sys/*) echo 0 ;;
	user/core/*|core/*) echo 1 ;;
	user/cmd/*|cmd/*) echo 2 ;;
	user/main.c) echo 3 ;;
	*) echo -1 ;;
	esac
}

bad=""
stray=$(find user -name '*.[ch]' | grep -vE '^user/(main\.c|(sys|core|cmd)/[a-z0-9_]+\.[ch])$')
[ -z "$stray" ] && ok "user/ is main.c over cmd/, core/, sys/" ||
	fail "user/ is main.c over cmd/, core/, sys/" "outside the layers: $stray"

for f in $(find user -name '*.[ch]' | sort); do
	own=$(rank "$f")
	while read -r inc; do
		r=$(rank "$inc")
		[ "$r" -ge 0 ] || continue
		[ "$r" -le "$own" ] || bad="$bad $f->$inc"
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
[ -z "$bad" ] && ok "includes go to the same layer or below" || fail "includes go to the same layer or below" "$bad"

# Modules (a .c with its .h) as nodes, quoted includes as edges; a cycle is an include
# circle, whether through headers or through a .c and the header of its caller.
cycles=$(python3 - <<'PY'
import os, re, glob
def module(path):
    return os.path.splitext(os.path.normpath(path))[0]
edges = {}
for f in glob.glob('user/**/*.[ch]', recursive=True) + glob.glob('kern/*.[ch]') + glob.glob('maps/*.h'):
    m = module(f)
    for inc in re.findall(r'^#include "([^"]+)"', open(f).read(), re.M):
        if inc.endswith('.skel.h'):
            continue
        for base in (os.path.dirname(f), '.', 'user'):
            p = os.path.normpath(os.path.join(base, inc))
            if os.path.exists(p):
                if module(p) != m:
                    edges.setdefault(m, set()).add(module(p))
                break
seen, stack, found = {}, [], []
def visit(n):
    seen[n] = 1
    stack.append(n)
    for d in sorted(edges.get(n, ())):
        if seen.get(d) == 1:
            found.append(' -> '.join(stack[stack.index(d):] + [d]))
        elif d not in seen:
            visit(d)
    stack.pop()
    seen[n] = 2
for n in sorted(edges):
    if n not in seen:
        visit(n)
print('; '.join(found))
PY
)
[ -z "$cycles" ] && ok "no include circles in user/, kern/, maps/" ||
	fail "no include circles in user/, kern/, maps/" "$cycles"

# No function over 80 lines, counted from the first line of its signature to its closing
# brace. A body opens with `{` in column 0 and closes with the next `}` in column 0 (the
# kernel style every file here follows); the signature is the run of lines above the `{`
# back to a blank line, a comment, a preprocessor line or the end of the previous
# declaration. A body that does not close that way cannot be measured, and fails. The
# checker is first run on a made-up file with a function of 81 lines, which it must report.
funclen() {
	python3 - "$@" <<'PY'
import sys
LIMIT = 80
def stops(line):
    t = line.strip()
    return (not t or line.startswith('#') or t.startswith(('/*', '*', '//')) or
            t.endswith((';', '}', '*/')))
for path in sys.argv[1:]:
    lines = open(path).read().split('\n')
    i = 0
    while i < len(lines):
        if not lines[i].startswith('{'):
            i += 1
            continue
        start = i
        while start > 0 and not stops(lines[start - 1]):
            start -= 1
        end = i + 1
        while end < len(lines) and not lines[end].startswith(('}', '{')):
            end += 1
        if end == len(lines) or lines[end].startswith('{'):
            print('%s:%d: no closing brace in column 0' % (path, i + 1))
            i = end
            continue
        n = end - start + 1
        if n > LIMIT:
            print('%s:%d: %s: %d lines' % (path, start + 1, lines[start].strip()[:60], n))
        i = end + 1
PY
}
probe=$(mktemp /tmp/xlt-funclen-XXXXXX.c)
trap 'rm -f "$probe"' EXIT
{ echo 'static int xdplb_long(int a,'; echo '		      int b)'; echo '{'
  for i in $(seq 1 76); do echo "	a += $i;"; done; echo '	return a + b;'; echo '}'; } >"$probe"
long=$(funclen "$probe")
# shellcheck disable=SC2046
long_tree=$(funclen $(find kern user maps -name '*.[ch]' | sort))
if [ "$long" = "$probe:1: static int xdplb_long(int a,: 81 lines" ] && [ -z "$long_tree" ]; then
	ok "no function over 80 lines in kern/, user/, maps/"
else
	fail "no function over 80 lines in kern/, user/, maps/" \
		"${long_tree:-the checker missed an 81-line function: ${long:-nothing reported}}"
fi

# doc/HACKING.md's source map names every file of kern/, user/ and maps/, by its path or,
# for a source and its header, as DIR/NAME.[ch].
unnamed=""
for f in $(find kern user maps -name '*.[ch]' | sort); do
	grep -qF -e "$f" -e "${f%.[ch]}.[ch]" doc/HACKING.md || unnamed="$unnamed $f"
done
[ -z "$unnamed" ] && ok "doc/HACKING.md names every file of kern/, user/, maps/" ||
	fail "doc/HACKING.md names every file of kern/, user/, maps/" "not named:$unnamed"
exit 0
