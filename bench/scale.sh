#!/usr/bin/env bash
# Linear scaling: the same generated news archive at several sizes, each built once, cold,
# release build, every size's output written to a freshly made ext4 filesystem (issue 8 asks
# a million articles to take at most 1.5 times the 10,000-article build's time per article).
# Prints each size's time, time per article, peak memory and per-article time as a multiple
# of the smallest size's.
#
#   sudo bench/scale.sh [SIZE...]            (default sizes: 10000 1000000)
#   WORK=/work/data bench/scale.sh 10000 100000
#   REPLAY=1 sudo bench/scale.sh             (also writes each build's file tree alone)
#
# Each build is timed twice: until the command returns, and until its output is on the disk
# (the build, then `sync`). A 10,000-article build's 180 MB stay in the page cache when the
# command returns, to be written back later; a million articles' 24 GB cannot, so that build
# writes most of its output back while it runs. The second figure times the same work at both
# sizes. With REPLAY=1, each size's file tree (every path and size of the build's output) is
# then written again on a new filesystem by `examples/write_tree.rs`, which renders nothing:
# what creating and writing back those files costs the kernel alone, at that size.
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
[ -z "${REPLAY:-}" ] || (cd "$ROOT" && cargo build --release --quiet --example write_tree)
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

# Prints the folder to build into: a new, empty ext4, or $OUT_ROOT as it is. Synced first, so
# that nothing of an earlier step is left for the timed run to write back.
fresh_output_root() {
  if [ -n "${OUT_ROOT:-}" ]; then
    mkdir -p "$OUT_ROOT"
  else
    release_filesystem
    truncate -s 60G "$image"
    mkfs.ext4 -q -F "$image" >&2
    mkdir -p "$fs_dir"
    mount "$(losetup --direct-io=on --show -f "$image")" "$fs_dir"
  fi
  sync
  echo "${OUT_ROOT:-$fs_dir}"
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

# Prints the seconds `sync` takes: writing back what the page cache still holds.
time_sync() {
  /usr/bin/time -f "%e" sync 2>&1
}

# Writes the file tree listed in $1 under $2 and prints "seconds sync-seconds".
replay_tree() {
  if ! /usr/bin/time -f "%e" -o "$WORK/replay-time.txt" \
    "$ROOT/target/release/examples/write_tree" "$1" "$2" 2> "$WORK/replay.log"; then
    cat "$WORK/replay.log" >&2
    exit 1
  fi
  echo "$(cat "$WORK/replay-time.txt") $(time_sync)"
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
  synced="$(time_sync)"
  grep -h '^Timings' "$WORK/scale-$size.log" >&2 || true
  replay="- -"
  if [ -n "${REPLAY:-}" ]; then
    listing="$WORK/tree-$size.txt"
    (cd "$out" && find . -type f -printf '%P\t%s\n' | LC_ALL=C sort) > "$listing"
    out_root="$(fresh_output_root)"
    replay="$(replay_tree "$listing" "$out_root/tree$size")"
    if [ -n "${OUT_ROOT:-}" ]; then rm -rf "$out_root/tree$size"; fi
  fi
  echo -e "$size\t$(tr ' ' '\t' < "$WORK/time.txt")\t$synced\t${replay// /$'\t'}" >> "$results"
  if [ -n "${OUT_ROOT:-}" ]; then rm -rf "$out"; fi
done

python3 - "$results" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
replayed = rows[0][4] != "-"
head = "| articles | build | build + sync | per article, build (+ sync) | peak memory | per article / smallest size's, build (+ sync) |"
rule = "|---:|---|---|---|---|---:|"
if replayed:
    head += " file tree alone + sync | its per article / smallest size's, command (+ sync) |"
    rule += "---|---:|"
print(head)
print(rule)
base = None
for size, seconds, kilobytes, synced, tree, tree_sync in rows:
    size, seconds, synced = int(size), float(seconds), float(synced)
    on_disk = seconds + synced
    per = (seconds / size * 1000, on_disk / size * 1000)
    tree_per = (float(tree) / size, (float(tree) + float(tree_sync)) / size) if replayed else None
    base = base or (per, tree_per)
    line = (f"| {size:,} | {seconds:.2f} s | {on_disk:.2f} s | {per[0]:.3f} ({per[1]:.3f}) ms "
            f"| {int(kilobytes) / 1024:,.0f} MB | {per[0] / base[0][0]:.2f} ({per[1] / base[0][1]:.2f}) |")
    if replayed:
        line += (f" {float(tree):.2f} + {float(tree_sync):.2f} s "
                 f"| {tree_per[0] / base[1][0]:.2f} ({tree_per[1] / base[1][1]:.2f}) |")
    print(line)
PY
