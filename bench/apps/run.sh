#!/usr/bin/env bash
#
# Measures the time from publishing a new app version (upload and deployment update) until
# every target node reports it installed, on real manager and node distributions. README.md
# beside this script describes the method and the figures.
#
set -euo pipefail

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"

nodes=2
versions=6
output="${SCRIPT_DIR}/target/results.tsv"
maven_args=()

usage() {
    cat <<USAGE
Usage: bench/apps/run.sh [options] [-- maven arguments]

Starts one manager and NODES nodes from the distributions in the local Maven repository,
enrolls the nodes, then publishes VERSIONS versions of an app to all of them, one after the
other, and records the time of each from the upload to the last node's report.

Options:
  --nodes N      node distributions to start (default ${nodes})
  --versions N   versions to publish; the first is the warm-up (default ${versions})
  --output FILE  results file (default bench/apps/target/results.tsv)
  -h, --help     show this help
USAGE
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --nodes) nodes="${2:?--nodes needs a number}"; shift 2 ;;
        --versions) versions="${2:?--versions needs a number}"; shift 2 ;;
        --output) output="${2:?--output needs a file}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        --) shift; maven_args=("$@"); break ;;
        *) echo "Unknown option '$1'; see --help" >&2; exit 2 ;;
    esac
done

[[ "${nodes}" =~ ^[1-9][0-9]*$ ]] || { echo "Invalid --nodes '${nodes}': expected a positive integer" >&2; exit 2; }
[[ "${versions}" =~ ^[2-9]$|^[1-9][0-9]+$ ]] \
    || { echo "Invalid --versions '${versions}': expected 2 or more, because the first is the warm-up" >&2; exit 2; }

mkdir -p "$(dirname "${output}")"
cd "${REPO_ROOT}"
loadavg_before="$(cut -d' ' -f1-3 /proc/loadavg)"
mvn -B -o verify -pl system-tests -Dit.test=AppPublishBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.nodes="${nodes}" -Dbench.versions="${versions}" -Dbench.output="$(realpath -m "${output}")" \
    "${maven_args[@]}"
{
    printf 'machine.nproc\t%s\n' "$(nproc)"
    printf 'machine.cpu\t%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    printf 'machine.loadavg_before\t%s\n' "${loadavg_before}"
    printf 'machine.loadavg_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'weft.commit\t%s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    printf 'java.version\t%s\n' "$(java -version 2>&1 | head -n 1)"
} >> "${output}"
cat "${output}"
