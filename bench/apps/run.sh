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

mkdir -p "$(dirname "${output}")"
cd "${REPO_ROOT}"
mvn -B -o verify -pl system-tests -Dit.test=AppPublishBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.nodes="${nodes}" -Dbench.versions="${versions}" -Dbench.output="$(realpath -m "${output}")" \
    "${maven_args[@]}"
cat "${output}"
