#!/usr/bin/env bash
# lang-table.sh - prints the README's language table from the profiles in
# lang/ (or $1): one row per profile with its name, aliases and
# description, in file-name order. tests/test_lang.c checks that the table
# in README is exactly this, so the README never drifts from the profiles:
#
#   bash contrib/lang-table.sh            # paste between the two markers
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")/.." && pwd)/lang}

# value FILE KEY: the value of "KEY = value" in a profile ("" when absent).
value() {
	sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" | head -n 1
}

echo "| language | aliases | what it is |"
echo "|---|---|---|"
for f in "$dir"/*.lang; do
	aliases=$(value "$f" aliases)
	echo "| $(value "$f" name) | ${aliases:--} | $(value "$f" description) |"
done
