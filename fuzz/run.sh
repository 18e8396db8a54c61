#!/usr/bin/env bash
# Runs one fuzz target for a number of seconds on the stable toolchain:
#   ./run.sh fuzz_model 600
#   ./run.sh fuzz_xml 300
#   ./run.sh fuzz_json 300
#   ./run.sh fuzz_request 600
# Extra arguments after the seconds go to libFuzzer (e.g. -jobs=2, -seed=1).
# The growing corpus is fuzz/corpus/<target>/ and crashes go to
# fuzz/artifacts/<target>/ (both ignored by git); the committed seeds under
# fuzz/seeds/<target>/ and, for fuzz_model, the real models and the test
# fixtures are read as extra (read-only) corpus folders.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: ./run.sh fuzz_model|fuzz_xml|fuzz_json|fuzz_request SECONDS [libFuzzer flags]}
seconds=${2:-60}
shift 2 || shift $#
mkdir -p "corpus/$target"
case $target in
  fuzz_model) extra=(../models ../tests/fixtures); dict=model.dict; max_len=65536 ;;
  fuzz_xml)   extra=(); dict=xml.dict;  max_len=16384 ;;
  fuzz_json)  extra=(); dict=json.dict; max_len=16384 ;;
  fuzz_request) extra=(); dict=request.dict; max_len=4096 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
# --sanitizer none: AddressSanitizer needs a nightly compiler; the
# coverage instrumentation (sancov) that guides libFuzzer works on stable.
exec cargo fuzz run --sanitizer none "$target" "corpus/$target" "seeds/$target" "${extra[@]}" -- \
  -dict="dicts/$dict" -max_len="$max_len" -max_total_time="$seconds" \
  -timeout=5 -rss_limit_mb=1024 -malloc_limit_mb=1024 -report_slow_units=1 \
  -print_final_stats=1 "$@"
