#!/usr/bin/env bash
#
# Benchmarks the policy engine (bundles/io.weft.policy) in one JVM on one thread: repeated
# decisions per second against a linear scan of every rule as the anchor, the full per-node
# compile, and the parse of the policy as a JSON document. README.md beside this script
# describes the method and the figures.
#
set -euo pipefail
set -o errtrace

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
readonly VERSION=0.1.0-SNAPSHOT
readonly JACKSON_VERSION=2.18.4

nodes=10000
rules=10000
flows=10000
seconds=2
seed=1
java_opts="-Xmx1g"
output_dir="${SCRIPT_DIR}/target"

usage() {
    cat <<USAGE
Usage: bench/policy/run.sh [options]

Builds NODES nodes over a 4-level domain tree (1 root, 10 regions, 100 sites, 1000 areas)
and RULES rules over all levels, then measures repeated decisions of FLOWS distinct flows
per second on one thread, the same flows by a linear scan of every rule, the full compile
of the per-node subsets, and the parse of the policy as a JSON document.

Options:
  --nodes N        nodes, spread evenly over the areas (default ${nodes})
  --rules N        rules: 1% at the root, 9% at regions, 30% at sites, 60% at areas (default ${rules})
  --flows N        distinct flows decided in a loop (default ${flows})
  --seconds S      length of each of the 5 measured rounds and the warm-up round (default ${seconds})
  --seed N         seed of the random fleet, rules and flows (default ${seed})
  --java-opts OPTS options of the benchmark JVM (default: ${java_opts})
  --output DIR     folder for results.tsv (default: bench/policy/target)
  -h, --help       show this help
USAGE
}

log() {
    printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

fail() {
    log "ERROR: $*"
    exit 1
}

parse_args() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --nodes) nodes="${2:?--nodes needs a number}"; shift 2 ;;
            --rules) rules="${2:?--rules needs a number}"; shift 2 ;;
            --flows) flows="${2:?--flows needs a number}"; shift 2 ;;
            --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
            --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
            --java-opts) java_opts="${2?--java-opts needs a value}"; shift 2 ;;
            --output) output_dir="${2:?--output needs a folder}"; shift 2 ;;
            -h|--help) usage; exit 0 ;;
            *) usage >&2; fail "unknown option '$1'; see --help" ;;
        esac
    done

    local name value
    for name in nodes rules flows seed; do
        value="${!name}"
        [[ "${value}" =~ ^[1-9][0-9]*$ ]] || fail "invalid --${name} '${value}': expected a positive integer"
    done
    [[ "${seconds}" =~ ^[0-9]+(\.[0-9]+)?$ ]] || fail "invalid --seconds '${seconds}': expected a number of seconds"
}

# Prints the class path: the policy bundle as built, the fleet bundle and Jackson from the
# local Maven repository.
class_path() {
    local policy_jar="${REPO_ROOT}/bundles/io.weft.policy/target/io.weft.policy-${VERSION}.jar"
    if [[ ! -s "${policy_jar}" ]]; then
        log "building the policy bundle (missing: ${policy_jar})"
        (cd "${REPO_ROOT}" && mvn -B -o -q -DskipTests install -f bundles/io.weft.policy/pom.xml) >&2 \
            || fail "the policy bundle build failed; see the Maven output above"
    fi
    local m2="${HOME}/.m2/repository" jar artifact
    local jars=("${policy_jar}" "${m2}/io/weft/io.weft.fleet/${VERSION}/io.weft.fleet-${VERSION}.jar")
    for artifact in jackson-core jackson-databind jackson-annotations; do
        jars+=("${m2}/com/fasterxml/jackson/core/${artifact}/${JACKSON_VERSION}/${artifact}-${JACKSON_VERSION}.jar")
    done
    for jar in "${jars[@]}"; do
        [[ -s "${jar}" ]] || fail "missing ${jar}; build it with: mvn -B -o install -f bundles/io.weft.fleet/pom.xml, or fetch Jackson ${JACKSON_VERSION}"
    done
    local IFS=:
    echo "${jars[*]}"
}

main() {
    parse_args "$@"
    mkdir -p "${output_dir}"
    local results="${output_dir}/results.tsv" cp
    cp="$(class_path)"

    log "running the benchmark: ${nodes} nodes, ${rules} rules, ${flows} flows, rounds of ${seconds} s"
    {
        printf 'machine.nproc\t%s\n' "$(nproc)"
        printf 'machine.cpu\t%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
        printf 'machine.loadavg_before\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
        printf 'java.version\t%s\n' "$(java -version 2>&1 | head -n 1)"
        printf 'java.options\t%s\n' "${java_opts}"
        # shellcheck disable=SC2086
        java ${java_opts} -cp "${cp}" "${SCRIPT_DIR}/PolicyBench.java" "${nodes}" "${rules}" "${flows}" "${seconds}" "${seed}"
        printf 'machine.loadavg_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    } | tee "${results}"
    log "figures in ${results}"
}

main "$@"
