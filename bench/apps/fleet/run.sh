#!/usr/bin/env bash
#
# Measures the time from publishing a new app version until every node of a simulated fleet
# has it installed, growing one fleet to each size of --steps. README.md in bench/apps/
# describes the method and the figures.
#
# The manager distribution is unpacked into a temporary folder, moved onto free loopback
# ports, started with bin/start and stopped with bin/stop. The load generator
# AppFleetBench.java runs in one JVM with the JDK's source launcher. Only the generator
# and processes whose command line contains the temporary folder are ever signalled.
#
set -euo pipefail
# Functions and subshells inherit the ERR trap, so a failing command is logged.
set -o errtrace

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../../.." && pwd)"

readonly JACKSON_VERSION=2.18.4
readonly MINA_VERSION=2.2.10
readonly SLF4J_VERSION=1.7.36
readonly BOUNCYCASTLE_VERSION=1.84
readonly WEFT_VERSION=0.1.0-SNAPSHOT
readonly BOOT_TIMEOUT_SECONDS=300
readonly STOP_TIMEOUT_SECONDS=60
# Listening ports are drawn from this range, below Linux's default ephemeral range
# (32768-60999) so that they do not collide with ports that other programs bind to port 0.
readonly PORT_MIN=20000
readonly PORT_MAX=32000

# File descriptors that each JVM needs besides one socket per node: jars, logs, Derby
# files, HTTP connections. An estimate with a wide margin, not a measured figure.
readonly SPARE_FILES=2000
# Name of the temporary folder, to which mktemp adds a suffix.
readonly WORK_DIR_NAME=weft-bench-app-fleet

# shellcheck source=../../lib/manager.sh
. "${SCRIPT_DIR}/../../lib/manager.sh"

steps="100,1000"
versions=4
payload_kib=512
parallelism=8
verify_threads=2
manager_opts="-Xmx1g"
# The generator's TLS clients run on Bouncy Castle's JSSE as the node's control connection
# does. They keep its default named groups: restricting them to X25519 with
# jdk.tls.namedGroups would also drop the P-256 signature scheme of the manager's certificate.
generator_opts="-Xmx2g"
manager_tarball="${REPO_ROOT}/karaf-distribution/manager/target/weft-manager-${WEFT_VERSION}.tar.gz"
maven_repository="${HOME}/.m2/repository"
output_dir="${SCRIPT_DIR}/target"
keep_work=false

usage() {
    cat <<EOF
Usage: bench/apps/fleet/run.sh [options]

Unpacks the manager into a temporary folder and starts it on free loopback ports. Then the
load generator grows a fleet of simulated nodes to each size in STEPS: it creates, enrolls
and connects the new nodes over mutual TLS, and publishes VERSIONS versions of one app to
the whole fleet, one after the other. Each version is timed from the start of its upload
until every node reported it installed, and until the manager's deployment view shows
every node installed. Each simulated node verifies the signed desired state, downloads the
bundle over its control session in ranges of 256 KiB, verifies the bundle's signature,
chain and digest with the node's library code, and reports the result.
Writes its figures to the output folder.

Options:
  --steps N,N,...        fleet sizes to measure, increasing (default ${steps})
  --versions N           versions published at each size (default ${versions})
  --payload-kib N        random bytes in each bundle, in KiB (default ${payload_kib})
  --parallel N           parallel REST requests while creating and enrolling nodes (default ${parallelism})
  --verify-threads N     generator threads that verify states and bundles for all nodes (default ${verify_threads})
  --manager-opts OPTS    EXTRA_JAVA_OPTS for the manager (default: ${manager_opts})
  --generator-opts OPTS  JVM options of the load generator (default: ${generator_opts})
  --tarball FILE         manager distribution (default: the one the build makes;
                         it is built if missing)
  --maven-repo DIR       local Maven repository with the Weft bundles and their libraries
                         (default: ~/.m2/repository)
  --output DIR           folder for results.tsv, generator.log and the manager's log
                         (default: bench/apps/fleet/target)
  --keep                 keep the temporary folder with the unpacked manager
  -h, --help             show this help
EOF
}

parse_args() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --steps) steps="${2:?--steps needs a list of numbers}"; shift 2 ;;
            --versions) versions="${2:?--versions needs a number}"; shift 2 ;;
            --payload-kib) payload_kib="${2:?--payload-kib needs a number}"; shift 2 ;;
            --parallel) parallelism="${2:?--parallel needs a number}"; shift 2 ;;
            --verify-threads) verify_threads="${2:?--verify-threads needs a number}"; shift 2 ;;
            --manager-opts) manager_opts="${2?--manager-opts needs a value}"; shift 2 ;;
            --generator-opts) generator_opts="${2?--generator-opts needs a value}"; shift 2 ;;
            --tarball) manager_tarball="${2:?--tarball needs a file}"; shift 2 ;;
            --maven-repo) maven_repository="${2:?--maven-repo needs a folder}"; shift 2 ;;
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
    local name value
    for name in versions payload_kib parallelism verify_threads; do
        value="${!name}"
        [[ "${value}" =~ ^[1-9][0-9]*$ ]] || fail "invalid --${name//_/-} '${value}': expected a positive integer"
    done
    # AppDeployment.MAX_SIZE in io.weft.control: 256 MiB.
    (( payload_kib <= 262144 )) || fail "invalid --payload-kib '${payload_kib}': the manager accepts bundles up to 256 MiB"
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
        (cd "${REPO_ROOT}" && mvn -B -q -DskipTests "-Dmaven.repo.local=${maven_repository}" install \
            -pl karaf-distribution/manager -am) >&2 \
            || fail "the manager distribution build failed; see the Maven output above"
        [[ -s "${manager_tarball}" ]] || fail "the build did not produce ${manager_tarball}"
    fi
}

# Prints the jar of a Weft bundle: the reactor build's, else the one in the Maven repository.
weft_jar() {
    local module="$1" jar
    jar="${REPO_ROOT}/bundles/${module}/target/${module}-${WEFT_VERSION}.jar"
    if [[ ! -s "${jar}" ]]; then
        jar="${maven_repository}/io/weft/${module}/${WEFT_VERSION}/${module}-${WEFT_VERSION}.jar"
    fi
    [[ -s "${jar}" ]] || fail "missing ${module}-${WEFT_VERSION}.jar in bundles/${module}/target and ${maven_repository}; build it with: mvn -B -o -q install -DskipTests"
    echo "${jar}"
}

# Prints the class path of the generator: the Weft bundles it uses and their libraries from
# the local Maven repository.
generator_class_path() {
    local jar class_path="" module
    for module in io.weft.control io.weft.pki io.weft.fleet; do
        class_path="${class_path:+${class_path}:}$(weft_jar "${module}")"
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
        [[ -s "${maven_repository}/${jar}" ]] || fail "missing ${maven_repository}/${jar}; run the build once online to fetch it"
        class_path="${class_path}:${maven_repository}/${jar}"
    done
    echo "${class_path}"
}

# Runs the load generator in the background, so that the EXIT trap can stop it, and waits.
run_generator() {
    # The generator's own lines go to generator.log and the terminal. MINA and the control
    # bundle log through slf4j-simple at WARN and above.
    # shellcheck disable=SC2086
    java ${generator_opts} \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -Dorg.slf4j.simpleLogger.showDateTime=true \
        -cp "${class_path}" "${SCRIPT_DIR}/AppFleetBench.java" \
        "api=${api_url}" "ca=${WEFT_CA_FILE}" "token-file=${token_file}" "manager-pid=${manager_pid}" \
        "steps=${steps}" \
        "versions=${versions}" "payload-kib=${payload_kib}" "parallel=${parallelism}" \
        "verify-threads=${verify_threads}" "downloads=${work_dir}/downloads" \
        "results=${output_dir}/results.tsv" \
        2> >(tee "${output_dir}/generator.log" >&2) &
    generator_pid=$!
    wait "${generator_pid}" || fail "the load generator failed; see ${output_dir}/generator.log"
    generator_pid=""
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


    start_manager
    issue_token
    printf 'machine.loadavg_before\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" > "${output_dir}/machine.tsv"
    run_generator

    {
        printf 'machine.nproc\t%s\n' "$(nproc)"
        printf 'machine.cpu\t%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
        printf 'machine.memory_gib\t%s\n' "$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)"
        cat "${output_dir}/machine.tsv"
        printf 'machine.loadavg_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
        printf 'weft.commit\t%s\n' "$(git -C "${REPO_ROOT}" rev-parse --short HEAD 2>/dev/null || echo unknown)"
        printf 'java.version\t%s\n' "$(java -version 2>&1 | head -n 1)"
        printf 'manager.opts\t%s\n' "${manager_opts}"
        printf 'manager.tarball\t%s %s\n' "$(date -u -r "${manager_tarball}" +%Y-%m-%dT%H:%MZ)" "$(sha256sum "${manager_tarball}" | cut -c1-12)"
        printf 'generator.opts\t%s\n' "${generator_opts}"
    } >> "${output_dir}/results.tsv"
    log "figures in ${output_dir}/results.tsv"
    cat "${output_dir}/results.tsv"
}

main "$@"
