#!/usr/bin/env bash
# Every tracked C source and header is formatted as the committed .clang-format
# says (clang-format 14, Debian 12's). Lists the files that are not; exit 1 then.
# Fix with: git ls-files '*.c' '*.h' | xargs clang-format -i
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v clang-format >/dev/null 2>&1; then
	echo "check-format: clang-format is not installed (apt-get install clang-format)" >&2
	exit 1
fi
bad=()
while IFS= read -r f; do
	clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done < <(git ls-files '*.c' '*.h')
if [ ${#bad[@]} -gt 0 ]; then
	printf 'not formatted: %s\n' "${bad[@]}"
	echo "check-format: ${#bad[@]} file(s) differ from .clang-format (clang-format -i FILE)" >&2
	exit 1
fi
echo "check-format: $(git ls-files '*.c' '*.h' | wc -l) files formatted" >&2
