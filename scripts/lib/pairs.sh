# Sourced by the end-to-end A/B benchmarks (bench-cpu-slots, bench-thread-trials, bench-analysis-threads). The caller
# sets ROOT (the checkout), calls pairs_setup with its arguments, defines run_a TAG SPEC and run_b TAG SPEC (each calling
# run_variant) and calls compare_sweeps.

# pairs_setup [PAIRS] [MAX_ITERATIONS] [SPEC...]: the benchmarks' common arguments into PAIRS (default 2),
# MAX_ITERATIONS (default: each spec's) and SPECS; a scratch directory WORK, removed on exit; the client published.
pairs_setup() {
    PAIRS="${1:-2}"
    MAX_ITERATIONS="${2:-}"
    shift $(($# < 2 ? $# : 2))
    SPECS=("$@")
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/grid-pairs.XXXXXX")"
    trap 'rm -rf "$WORK"' EXIT
    cd "$ROOT"
    "$ROOT/grid" --help >/dev/null
}

# run_variant LABEL TAG SPEC [VAR=VALUE...] [-- GRID_RUN_ARGS...]: one `grid run` of SPEC in a fresh results root with
# those environment variables and arguments. Prints its wall time, iterations, training seconds (sum and median) and
# the thread counts its iterations trained most steps with on stderr, and the wall seconds on stdout.
run_variant() {
    local label="$1" tag="$2" spec="$3" envs=() args=() start end
    shift 3
    while (($#)); do
        if [[ "$1" == -- ]]; then shift; args=("$@"); break; fi
        envs+=("$1"); shift
    done
    local results="$WORK/results-$tag"
    start=$(date +%s.%N)
    env ${envs[@]+"${envs[@]}"} "$ROOT/grid" run "$spec" --results "$results" ${args[@]+"${args[@]}"} >"$WORK/$tag.log" 2>&1 \
        || { cat "$WORK/$tag.log" >&2; exit 1; }
    end=$(date +%s.%N)
    python3 - "$results" "$label" "$start" "$end" <<'PY'
import collections, glob, json, statistics, sys
results, label, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
summaries = [json.load(open(f)) for f in glob.glob(results + "/*/runs/*/iter-*/summary.json")]
seconds = [s["train_seconds"] for s in summaries]
threads = dict(sorted(collections.Counter(s.get("threads") for s in summaries if s.get("threads") is not None).items()))
print(f"  {label:>10}: wall {end - start:6.1f} s, {len(summaries)} iterations, training {sum(seconds):6.1f} s "
      f"(median {statistics.median(seconds):.2f} s), iterations per thread count {threads}", file=sys.stderr)
print(f"{end - start:.1f}")
PY
}

# compare_pairs NAME SPEC PAIRS LABEL_A LABEL_B: PAIRS pairs of run_a and run_b, alternating which goes first, each
# pair's ratio b / a, then their median and range.
compare_pairs() {
    local name="$1" spec="$2" pairs="$3" label_a="$4" label_b="$5" a b i ratio ratios=()
    for ((i = 1; i <= pairs; i++)); do
        if ((i % 2 == 1)); then
            a=$(run_a "$name-a-$i" "$spec"); b=$(run_b "$name-b-$i" "$spec")
        else
            b=$(run_b "$name-b-$i" "$spec"); a=$(run_a "$name-a-$i" "$spec")
        fi
        ratio=$(python3 -c "print(f'{$b / $a:.3f}')")
        ratios+=("$ratio")
        echo "  pair $i: $label_a ${a} s, $label_b ${b} s: x${ratio}"
    done
    python3 - "$label_a" "$label_b" "${ratios[@]}" <<'PY'
import statistics, sys
a, b, r = sys.argv[1], sys.argv[2], sorted(float(x) for x in sys.argv[3:])
print(f"  {b} / {a}: median x{statistics.median(r):.3f} [{r[0]:.3f}-{r[-1]:.3f}] over {len(r)} pairs")
PY
}

# compare_sweeps LABEL_A LABEL_B: each of SPECS, with training.bundle: 1 and MAX_ITERATIONS, in PAIRS pairs of run_a and
# run_b; then the load average.
compare_sweeps() {
    local spec name
    for spec in "${SPECS[@]}"; do
        name="$(basename "$spec" .yaml)"
        "$ROOT/scripts/lib/bundle-variant" "$spec" 1 "$MAX_ITERATIONS" "$WORK/$name.yaml"
        echo "$name (${MAX_ITERATIONS:+max_iterations $MAX_ITERATIONS, }bundle: 1), $(nproc) cores:"
        compare_pairs "$name" "$WORK/$name.yaml" "$PAIRS" "$1" "$2"
    done
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
