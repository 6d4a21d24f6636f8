#!/usr/bin/env bash
#
# Benchmarks the node's Edge API: requests per second and p50/p99 latency of the hello app's
# greet operation, against a bare servlet that does the same work on pax-web's HTTPS
# connector of the same Karaf, in the same run. README.md beside this script describes the
# method and the figures.
#
set -euo pipefail
set -o errtrace

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../../.." && pwd)"
readonly VERSION=0.1.0-SNAPSHOT

seconds=10
rounds=3
concurrency=8
node_profile=""
output_dir="${SCRIPT_DIR}/target"
maven_options=()

usage() {
    cat <<USAGE
Usage: bench/apps/edge-api/run.sh [options]

Starts a manager and a node distribution, enrolls the node, installs the hello example app
and a bare servlet with the same greeting, and measures both over HTTPS with keep-alive
connections in alternating rounds.

Options:
  --seconds S      length of each measured round (default ${seconds})
  --rounds N       measured rounds per target (default ${rounds})
  --concurrency N  client threads (default ${concurrency})
  --node-profile P JVM profile of the node, small or throughput (default: the distribution's, small)
  --output DIR     folder for results.tsv (default: bench/apps/edge-api/target)
  --maven-repo DIR local Maven repository to build and run with (default: Maven's own)
  -h, --help       show this help

The distributions and the examples must be installed first: mvn -B -DskipTests install.
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
            --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
            --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
            --concurrency) concurrency="${2:?--concurrency needs a number}"; shift 2 ;;
            --node-profile) node_profile="${2:?--node-profile needs a profile name}"; shift 2 ;;
            --output) output_dir="${2:?--output needs a folder}"; shift 2 ;;
            --maven-repo) maven_options+=("-Dmaven.repo.local=${2:?--maven-repo needs a folder}"); shift 2 ;;
            -h|--help) usage; exit 0 ;;
            *) usage >&2; fail "unknown option '$1'; see --help" ;;
        esac
    done
    [[ -z "${node_profile}" || "${node_profile}" =~ ^(small|throughput)$ ]] \
        || fail "invalid --node-profile '${node_profile}': expected small or throughput"
    local name value
    for name in seconds rounds concurrency; do
        value="${!name}"
        [[ "${value}" =~ ^[1-9][0-9]*$ ]] || fail "invalid --${name} '${value}': expected a positive integer"
    done
}

main() {
    parse_args "$@"
    mkdir -p "${output_dir}"
    local results="${output_dir}/results.tsv"
    local servlet_jar="${SCRIPT_DIR}/bare-servlet/target/bare-servlet-${VERSION}.jar"

    log "building the bare servlet bundle"
    mvn -B -o -q "${maven_options[@]}" package -f "${SCRIPT_DIR}/bare-servlet/pom.xml" \
        || fail "the bare servlet build failed; see the Maven output above"
    [[ -s "${REPO_ROOT}/examples/hello/target/hello-${VERSION}.jar" ]] \
        || fail "missing examples/hello/target/hello-${VERSION}.jar; run mvn -B -DskipTests install first"

    log "running: rounds of ${seconds} s, ${rounds} per target, ${concurrency} client threads"
    (cd "${REPO_ROOT}" && mvn -B -o "${maven_options[@]}" verify -pl system-tests -Dit.test=EdgeApiBenchmark \
        -Dsurefire.failIfNoSpecifiedTests=false -Dbench.seconds="${seconds}" -Dbench.rounds="${rounds}" \
        -Dbench.concurrency="${concurrency}" -Dbench.bareServletJar="${servlet_jar}" \
        -Dbench.nodeJvmProfile="${node_profile}" -Dbench.output="${results}") >"${output_dir}/maven.log" 2>&1 \
        || fail "the benchmark failed; see ${output_dir}/maven.log"
    {
        printf 'machine.cpu\t%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
        printf 'machine.loadavg_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
        printf 'java.version\t%s\n' "$(java -version 2>&1 | head -n 1)"
        printf 'node.jvm_profile\t%s\n' "${node_profile:-small (the distribution default)}"
    } >>"${results}"
    cat "${results}"
    log "figures in ${results}"
}

main "$@"
