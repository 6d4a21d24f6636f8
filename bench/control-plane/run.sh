#!/usr/bin/env bash
#
# Benchmarks the Weft manager's control plane with simulated nodes, growing one fleet to each
# size of --steps. At each size it measures enrollments per second, the manager's heap after
# a full GC and its CPU. It also times a root-domain change until every node acknowledges it,
# and a manager restart until every node is connected again.
# README.md beside this script describes the method and the figures.
#
# The manager distribution is unpacked into a temporary folder, moved onto free loopback
# ports, started with bin/start and stopped with bin/stop. The load generator
# ControlPlaneBench.java runs in one JVM with the JDK's source launcher. Only the generator
# and processes whose command line contains the temporary folder are ever signalled.
#
set -euo pipefail
# Functions and subshells inherit the ERR trap, so a failing command is logged.
set -o errtrace

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"

readonly JACKSON_VERSION=2.18.4
readonly MINA_VERSION=2.2.10
readonly SLF4J_VERSION=1.7.36
readonly BOUNCYCASTLE_VERSION=1.84
readonly WEFT_VERSION=0.1.0-SNAPSHOT
readonly BOOT_TIMEOUT_SECONDS=180
readonly STOP_TIMEOUT_SECONDS=60
# Listening ports are drawn from this range, below Linux's default ephemeral range
# (32768-60999) so that they do not collide with ports that other programs bind to port 0.
readonly PORT_MIN=20000
readonly PORT_MAX=32000

# File descriptors that each JVM needs besides one socket per node: jars, logs, Derby
# files, HTTP connections. An estimate with a wide margin, not a measured figure.
readonly SPARE_FILES=2000
# Name of the temporary folder, to which mktemp adds a suffix.
readonly WORK_DIR_NAME=weft-bench-control-plane

# shellcheck source=../lib/manager.sh
. "${SCRIPT_DIR}/../lib/manager.sh"

steps="1000,5000,10000"
parallelism=8
changes=3
idle_seconds=30
restart=true
profile=false
manager_opts="-Xmx1g"
# The generator's TLS clients run on Bouncy Castle's JSSE as the node's control connection
# does. They keep its default named groups: restricting them to X25519 with
# jdk.tls.namedGroups would also drop the P-256 signature scheme of the manager's certificate.
generator_opts="-Xmx4g"
manager_tarball="${REPO_ROOT}/karaf-distribution/manager/target/weft-manager-${WEFT_VERSION}.tar.gz"
output_dir="${SCRIPT_DIR}/target"
keep_work=false

usage() {
    cat <<EOF
Usage: bench/control-plane/run.sh [options]

Unpacks the manager into a temporary folder and starts it on free loopback ports. Then the
load generator grows a fleet of simulated nodes to each size in STEPS. At each size it
creates the new node records and enrollment tokens, enrolls the new nodes (each with its own
EC P-256 key), connects them over mutual TLS, and measures: the manager's CPU while idle,
its heap after a full GC, CHANGES root-domain profile changes until every node acknowledged
the new state, and a manager restart until every node is connected again.
Writes its figures to the output folder.

Options:
  --steps N,N,...        fleet sizes to measure, increasing (default ${steps})
  --parallel N           parallel REST requests while creating and enrolling nodes (default ${parallelism})
  --changes N            root-domain changes measured at each size (default ${changes})
  --idle SECONDS         length of the idle CPU measurement at each size (default ${idle_seconds})
  --no-restart           skip the manager restarts
  --profile              record the manager with JFR while the first step enrolls and
                         connects, and from bin/start until every node is back in that
                         step's restart; summarize the recordings in profile-*.txt
  --manager-opts OPTS    EXTRA_JAVA_OPTS for the manager (default: ${manager_opts})
  --generator-opts OPTS  JVM options of the load generator (default: ${generator_opts})
  --tarball FILE         manager distribution (default: the one the build makes;
                         it is built if missing)
  --output DIR           folder for results.tsv, generator.log and the manager's log
                         (default: bench/control-plane/target)
  --keep                 keep the temporary folder with the unpacked manager
  -h, --help             show this help
EOF
}

parse_args() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --steps) steps="${2:?--steps needs a list of numbers}"; shift 2 ;;
            --parallel) parallelism="${2:?--parallel needs a number}"; shift 2 ;;
            --changes) changes="${2:?--changes needs a number}"; shift 2 ;;
            --idle) idle_seconds="${2:?--idle needs a number of seconds}"; shift 2 ;;
            --no-restart) restart=false; shift ;;
            --profile) profile=true; shift ;;
            --manager-opts) manager_opts="${2?--manager-opts needs a value}"; shift 2 ;;
            --generator-opts) generator_opts="${2?--generator-opts needs a value}"; shift 2 ;;
            --tarball) manager_tarball="${2:?--tarball needs a file}"; shift 2 ;;
            --output) output_dir="${2:?--output needs a folder}"; shift 2 ;;
            --keep) keep_work=true; shift ;;
            -h|--help) usage; exit 0 ;;
            *) usage >&2; fail "unknown option '$1'; see --help" ;;
        esac
    done

    [[ "${steps}" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] \
        || fail "invalid --steps '${steps}': expected increasing positive integers separated by commas"
    local previous=0 step
    for step in ${steps//,/ }; do
        (( step > previous )) || fail "invalid --steps '${steps}': the sizes must increase"
        previous="${step}"
    done
    (( previous <= 99999 )) || fail "at most 99999 nodes are supported"
    max_nodes="${previous}"
    [[ "${parallelism}" =~ ^[1-9][0-9]*$ ]] || fail "invalid --parallel '${parallelism}': expected a positive integer"
    [[ "${changes}" =~ ^[0-9]+$ ]] || fail "invalid --changes '${changes}': expected a whole number"
    [[ "${idle_seconds}" =~ ^[1-9][0-9]*$ ]] || fail "invalid --idle '${idle_seconds}': expected whole seconds"
}

# ---------------------------------------------------------------------------------------
# Cleanup: stop every process that runs from the temporary folder.
# ---------------------------------------------------------------------------------------

work_dir=""
generator_pid=""

# ---------------------------------------------------------------------------------------
# Manager setup
# ---------------------------------------------------------------------------------------

home=""

build_manager_if_missing() {
    if [[ ! -s "${manager_tarball}" ]]; then
        log "building the manager distribution (missing: ${manager_tarball})"
        (cd "${REPO_ROOT}" && mvn -B -q -DskipTests install -pl karaf-distribution/manager -am) >&2 \
            || fail "the manager distribution build failed; see the Maven output above"
        [[ -s "${manager_tarball}" ]] || fail "the build did not produce ${manager_tarball}"
    fi
}

# Prints the class path of the generator: the Weft bundles it uses, from this repository's
# build, and their libraries from the local Maven repository.
generator_class_path() {
    local repository="${HOME}/.m2/repository" jar class_path="" module
    for module in io.weft.control io.weft.pki io.weft.fleet; do
        jar="${REPO_ROOT}/bundles/${module}/target/${module}-${WEFT_VERSION}.jar"
        [[ -s "${jar}" ]] || fail "missing ${jar}; build it with: mvn -B -o -q install -DskipTests"
        class_path="${class_path:+${class_path}:}${jar}"
    done
    for jar in \
        "com/fasterxml/jackson/core/jackson-core/${JACKSON_VERSION}/jackson-core-${JACKSON_VERSION}.jar" \
        "com/fasterxml/jackson/core/jackson-databind/${JACKSON_VERSION}/jackson-databind-${JACKSON_VERSION}.jar" \
        "com/fasterxml/jackson/core/jackson-annotations/${JACKSON_VERSION}/jackson-annotations-${JACKSON_VERSION}.jar" \
        "org/apache/mina/mina-core/${MINA_VERSION}/mina-core-${MINA_VERSION}.jar" \
        "org/slf4j/slf4j-api/${SLF4J_VERSION}/slf4j-api-${SLF4J_VERSION}.jar" \
        "org/slf4j/slf4j-simple/${SLF4J_VERSION}/slf4j-simple-${SLF4J_VERSION}.jar" \
        "org/bouncycastle/bcprov-jdk18on/${BOUNCYCASTLE_VERSION}/bcprov-jdk18on-${BOUNCYCASTLE_VERSION}.jar" \
        "org/bouncycastle/bcutil-jdk18on/${BOUNCYCASTLE_VERSION}/bcutil-jdk18on-${BOUNCYCASTLE_VERSION}.jar" \
        "org/bouncycastle/bcpkix-jdk18on/${BOUNCYCASTLE_VERSION}/bcpkix-jdk18on-${BOUNCYCASTLE_VERSION}.jar" \
        "org/bouncycastle/bctls-jdk18on/${BOUNCYCASTLE_VERSION}/bctls-jdk18on-${BOUNCYCASTLE_VERSION}.jar"; do
        [[ -s "${repository}/${jar}" ]] || fail "missing ${repository}/${jar}; run the build once online to fetch it"
        class_path="${class_path}:${repository}/${jar}"
    done
    echo "${class_path}"
}

# Runs the load generator in the background, so that the EXIT trap can stop it, and waits.
run_generator() {
    # The generator's own lines go to generator.log and the terminal. MINA and the control
    # bundle log through slf4j-simple at WARN and above.
    local jfr_argument=""
    if ${profile}; then
        jfr_argument="jfr-dir=${output_dir}"
    fi
    # shellcheck disable=SC2086
    java ${generator_opts} \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -Dorg.slf4j.simpleLogger.showDateTime=true \
        -cp "${class_path}" "${SCRIPT_DIR}/ControlPlaneBench.java" \
        "api=${api_url}" "ca=${WEFT_CA_FILE}" "token-file=${token_file}" "home=${home}" \
        "manager-pid=${manager_pid}" "manager-opts=${manager_opts}" "steps=${steps}" \
        "parallel=${parallelism}" "changes=${changes}" "idle-seconds=${idle_seconds}" \
        "restart=${restart}" "results=${output_dir}/results.tsv" \
        ${jfr_argument} \
        2> >(tee "${output_dir}/generator.log" >&2) &
    generator_pid=$!
    wait "${generator_pid}" || fail "the load generator failed; see ${output_dir}/generator.log"
    generator_pid=""
}

# Writes the hottest frames of each JFR recording, for all manager threads, to profile-NAME.txt.
summarize_profiles() {
    local recording name
    for recording in "${output_dir}"/*.jfr; do
        [[ -f "${recording}" ]] || continue
        name="$(basename "${recording}" .jfr)"
        jfr print --events jdk.ExecutionSample --stack-depth 64 "${recording}" > "${work_dir}/samples-${name}.txt"
        python3 "${SCRIPT_DIR}/jfr_top.py" "${work_dir}/samples-${name}.txt" > "${output_dir}/profile-${name}.txt"
        log "JFR profile summary in ${output_dir}/profile-${name}.txt"
    done
}

main() {
    parse_args "$@"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'log "failed at line ${LINENO}: ${BASH_COMMAND}"' ERR

    raise_file_limit
    build_manager_if_missing
    class_path="$(generator_class_path)"
    mkdir -p "${output_dir}"
    rm -f "${output_dir}/results.tsv" "${output_dir}/generator.log" "${output_dir}/karaf.log" \
        "${output_dir}"/*.jfr "${output_dir}"/profile-*.txt

    start_manager
    issue_token
    run_generator
    summarize_profiles

    {
        printf 'machine.nproc\t%s\n' "$(nproc)"
        printf 'machine.cpu\t%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
        printf 'machine.memory_gib\t%s\n' "$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)"
        printf 'machine.loadavg\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
        printf 'java.version\t%s\n' "$(java -version 2>&1 | head -n 1)"
        printf 'manager.opts\t%s\n' "${manager_opts}"
        printf 'generator.opts\t%s\n' "${generator_opts}"
    } >> "${output_dir}/results.tsv"
    log "figures in ${output_dir}/results.tsv"
    cat "${output_dir}/results.tsv"
}

main "$@"
