#!/usr/bin/env bash
# Builds a corpus of real documentation (≥ 50 MB of prose with its code samples, as engineers keep
# it) for `npx tsx bench/indexing.ts --corpus DIR`: the reStructuredText, AsciiDoc and POD sources
# that Debian's documentation packages ship (Linux kernel, Python 3.11, Perl, Git, Sphinx, Flask,
# setuptools, Requests, Jinja) plus the Markdown files of this repository's node_modules. Source
# files are copied as .txt (what `index` reads as plain text) or .md, numbered in a fixed order.
# Nothing of it enters the repository. Needs `apt-get download` (Debian's package archive) and
# dpkg-deb; the packages are kept in DIR/.debs for a re-run.
#   bash bench/docs-corpus.sh /tmp/docs50
set -euo pipefail
out=${1:?usage: bash bench/docs-corpus.sh OUT_DIR}
repo=$(cd "$(dirname "$0")/.." && pwd)
packages=(linux-doc-6.1 python3.11-doc perl-doc git-doc sphinx-doc python-flask-doc python-setuptools-doc python-requests-doc python-jinja2-doc)
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || { echo "docs-corpus: needs apt-get and dpkg-deb (a Debian-based system)" >&2; exit 2; }
mkdir -p "$out/.debs"
cd "$out/.debs"
for p in "${packages[@]}"; do
  ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download "$p" >/dev/null 2>&1 || { echo "docs-corpus: could not download $p" >&2; exit 2; }
done
rm -rf "$out/.extracted" && mkdir -p "$out/.extracted"
for p in "${packages[@]}"; do dpkg-deb -x "${p}"_*.deb "$out/.extracted/$p"; done
find "$out" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.md' \) -delete
n=0
copy() { n=$((n + 1)); local base; base=$(basename "$1"); base=${base%.pod}; base=${base%.txt}; base=${base%.md}; cp "$1" "$out/$(printf %05d $n)-$base.$2"; }
# Sphinx and kernel sources are shipped as *.txt next to the HTML; POD and AsciiDoc as their own files.
while IFS= read -r f; do copy "$f" txt; done < <(cd "$out/.extracted" && find "$out/.extracted" -type f \( -name '*.txt' -o -name '*.pod' \) | LC_ALL=C sort)
while IFS= read -r f; do copy "$f" md; done < <(find "$repo/node_modules" -type f -iname '*.md' -size +1k | LC_ALL=C sort)
rm -rf "$out/.extracted"
echo "docs-corpus: $n files, $(du -sb --exclude=.debs "$out" | cut -f1) bytes in $out" >&2
