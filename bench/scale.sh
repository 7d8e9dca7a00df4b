#!/usr/bin/env bash
# Linear scaling: the same generated news archive at several sizes, each built once, cold,
# release build, every size's output written to a freshly made ext4 filesystem (issue 8 asks
# a million articles to take at most 1.5 times the 10,000-article build's time per article).
# Prints each size's time, time per article, peak memory and per-article time as a multiple
# of the smallest size's.
#
#   sudo bench/scale.sh [SIZE...]            (default sizes: 10000 1000000)
#   WORK=/work/data bench/scale.sh 10000 100000
#
# Why a fresh filesystem: a million articles write 1.6 million files (23 GB), which fit in no
# tmpfs beside the build, and deleting one run's output before the next leaves ext4 (above
# all one without a journal) slow to create files for minutes: new inodes are searched past
# the recently deleted ones. On the same disk, the same 10,000-article build took 1.4 s on a
# new filesystem and 4-5 s after a deleted million-article output. So each size gets a new
# ext4 in an image file on a loop device with direct I/O (no second page cache), which needs
# root; without root, set OUT_ROOT to a folder and read the figures with that in mind.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED="$ROOT/../shared/bench"
WORK="${WORK:-/tmp/gazette-bench}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 1000000)
[ -f "$SHARED/gen_corpus.py" ] || { echo "needs ../shared/bench beside the repository" >&2; exit 2; }

(cd "$ROOT" && cargo build --release --quiet)
mkdir -p "$WORK"
results="$WORK/scale.tsv"
: > "$results"
image="$WORK/scale-fs.img"
fs_dir="$WORK/scale-fs"
if [ -z "${OUT_ROOT:-}" ] && [ "$(id -u)" != 0 ]; then
  echo "a fresh filesystem needs root: run with sudo, or set OUT_ROOT to an output folder" >&2
  exit 2
fi

# Unmounts and deletes the last size's filesystem.
release_filesystem() {
  if mountpoint -q "$fs_dir" 2>/dev/null; then
    device="$(findmnt -n -o SOURCE "$fs_dir")"
    umount "$fs_dir"
    losetup -d "$device" 2>/dev/null || true
  fi
  rm -f "$image"
}

# Prints the folder to build into: a new, empty ext4, or $OUT_ROOT as it is.
fresh_output_root() {
  if [ -n "${OUT_ROOT:-}" ]; then
    mkdir -p "$OUT_ROOT"
    echo "$OUT_ROOT"
    return
  fi
  release_filesystem
  truncate -s 60G "$image"
  mkfs.ext4 -q -F "$image" >&2
  mkdir -p "$fs_dir"
  mount "$(losetup --direct-io=on --show -f "$image")" "$fs_dir"
  echo "$fs_dir"
}
if [ -z "${OUT_ROOT:-}" ]; then trap release_filesystem EXIT; fi

# Prints the memory the page cache has to work with. Files left in a tmpfs (such as /dev/shm)
# cannot be evicted: with 4.5 GB of old build outputs there, a million-article build read
# 8.5 GB of its articles back from the disk and took 233 s; with them deleted, 1.6 GB and
# 174 s (BENCHMARKS.md, 2026-12-07).
report_memory() {
  awk '/^MemAvailable:/ {available = $2} /^Shmem:/ {shared = $2}
       END {printf "memory available: %.1f GB; held in tmpfs and shared memory: %.1f GB\n",
            available / 1048576, shared / 1048576}' /proc/meminfo >&2
}

for size in "${SIZES[@]}"; do
  corpus="$WORK/c$size"
  [ -f "$corpus/corpus.json" ] || python3 "$SHARED/gen_corpus.py" --articles "$size" --out "$corpus" >/dev/null
  rm -rf "$corpus/.gazette" "$corpus/site.yaml"
  # The corpus read once beforehand: the figure is the build's, not the disk's first read.
  find "$corpus/content" -type f -print0 | xargs -0 cat > /dev/null
  out_root="$(fresh_output_root)"
  report_memory
  out="$out_root/out$size"
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" \
    "$ROOT/target/release/gazette" build --site "$corpus" -o "$out" -q --timings > "$WORK/scale-$size.log" 2>&1
  echo -e "$size\t$(tr ' ' '\t' < "$WORK/time.txt")" >> "$results"
  grep -h '^Timings' "$WORK/scale-$size.log" >&2 || true
  if [ -n "${OUT_ROOT:-}" ]; then rm -rf "$out"; fi
done

python3 - "$results" <<'PY'
import sys
rows = [line.split("\t") for line in open(sys.argv[1]) if line.strip()]
base = None
print("| articles | time | per article | peak memory | per article / smallest size's |")
print("|---:|---|---|---|---:|")
for size, seconds, kilobytes in rows:
    size, seconds = int(size), float(seconds)
    per_article = seconds / size * 1000
    base = base or per_article
    print(f"| {size:,} | {seconds:.2f} s | {per_article:.3f} ms | {int(kilobytes) / 1024:,.0f} MB | {per_article / base:.2f} |")
PY
