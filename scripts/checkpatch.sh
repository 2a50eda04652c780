#!/bin/sh
# Run the kernel's checkpatch.pl --strict over the module's sources.
# checkpatch comes from Debian's linux-source-6.1 tarball, extracted once
# into build/checkpatch (it needs its spelling and const-struct lists).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dest="$top/build/checkpatch"
tarball=$(ls /usr/src/linux-source-6.1*.tar.xz 2>/dev/null | sort -V | tail -n1)

if [ ! -x "$dest/scripts/checkpatch.pl" ]; then
	[ -n "$tarball" ] || { echo "checkpatch: linux-source-6.1 is not installed" >&2; exit 1; }
	mkdir -p "$dest"
	base=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$dest" --strip-components=1 \
		"$base/scripts/checkpatch.pl" "$base/scripts/spelling.txt" \
		"$base/scripts/const_structs.checkpatch"
fi

cd "$top"
files=$(find kmod -name '*.[ch]' | sort)
# --no-tree: out of tree; the kernel's own rules otherwise, --strict.
# shellcheck disable=SC2086
"$dest/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
	--ignore FILE_PATH_CHANGES -f $files
echo "checkpatch: clean ($(echo "$files" | wc -w) files)"
