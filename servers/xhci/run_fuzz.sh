#!/bin/sh
# SPDX-License-Identifier: MIT
# The suite's bounded fuzz run: FUZZER over a copy of CORPUS (libFuzzer
# adds what it finds to its first directory; the committed corpus stays as
# it is) for RUNS inputs of at most MAX_LEN bytes (default 1024). A crash,
# a leak or a sanitizer report fails it.
set -eu
fuzzer=$1 corpus=$2 runs=$3 max_len=${4:-1024}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$corpus"/* "$work"/
"$fuzzer" -runs="$runs" -seed=1 -max_len="$max_len" "$work"
