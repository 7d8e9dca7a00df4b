#!/usr/bin/env bash
# Fuzzes every target for SECONDS each (default 600), two at a time, adding what libFuzzer finds
# interesting to fuzz/corpus/TARGET/ (replayed by `cargo test --test fuzz_corpus`).
# Needs `cargo install cargo-fuzz`; RUSTC_BOOTSTRAP lets the stable toolchain take the
# sanitizer flags cargo-fuzz passes. A crash stops its target and leaves the input in
# fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds="${1:-600}"
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
run() {
  cargo fuzz run -O "$1" "corpus/$1" -- -max_total_time="$seconds" -max_len=16384 \
    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 >"target/$1.log" 2>&1
  echo "$1: $(grep -E 'stat::number_of_executed_units' "target/$1.log" | tail -1) $(tail -1 "target/$1.log")"
}
run article_markdown & run article_text & wait
run front_matter & run people & wait
run slug
