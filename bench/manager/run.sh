#!/usr/bin/env bash
#
# Benchmarks the Weft manager with a 3-level domain tree and 10,000 nodes: effective-profile
# latency per node, full node listings page by page, and heap and RSS after a full GC.
# README.md beside this script describes the method and the figures.
#
# The manager distribution is unpacked into a temporary folder, moved onto free loopback
# ports, started with bin/start and stopped with bin/stop. Only processes whose command line
# contains that temporary folder are ever signalled.
#
set -euo pipefail
# Functions and subshells inherit the ERR trap, so a failing command is logged.
set -o errtrace

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"

readonly JACKSON_VERSION=2.18.4
readonly BOOT_TIMEOUT_SECONDS=180
readonly STOP_TIMEOUT_SECONDS=60
# Listening ports are drawn from this range, below Linux's default ephemeral range
# (32768-60999) so that they do not collide with ports that other programs bind to port 0.
readonly PORT_MIN=20000
readonly PORT_MAX=32000

# shellcheck source=../lib/manager.sh
. "${SCRIPT_DIR}/../lib/manager.sh"

regions=10
sites_per_region=10
nodes=10000
parallelism=3
sample=10000
seed=1
profile_seconds=20
manager_opts=""
manager_tarball="${REPO_ROOT}/karaf-distribution/manager/target/weft-manager-0.1.0-SNAPSHOT.tar.gz"
output_dir="${SCRIPT_DIR}/target"
keep_work=false

usage() {
    cat <<EOF
Usage: bench/manager/run.sh [options]

Unpacks the manager into a temporary folder, starts it on free loopback ports, creates
a domain tree (1 root, REGIONS regions, SITES sites per region) with a profile on every
domain, and NODES nodes spread over the sites, one in ten with its own profile. Then it
times effective profiles and GET /nodes/{fullName} of SAMPLE nodes, lists all nodes at
limit 100 and 1000, reads heap and RSS after a full GC, and records a JFR profile while
a client requests effective profiles. Writes its figures to the output folder.

Options:
  --regions N         regions below the root domain (default ${regions})
  --sites N           sites below each region (default ${sites_per_region})
  --nodes N           nodes, spread evenly over the sites (default ${nodes})
  --parallel N        parallel requests while creating domains and nodes (default ${parallelism})
  --sample N          nodes whose effective profile is timed, at most NODES (default ${sample})
  --seed N            seed of the random sample and request order (default ${seed})
  --profile SECONDS   length of the JFR recording, 0 to skip it (default ${profile_seconds})
  --manager-opts OPTS EXTRA_JAVA_OPTS for the manager (default: none, so bin/setenv decides)
  --tarball FILE      manager distribution (default: the one the build makes;
                      it is built if missing)
  --output DIR        folder for results.tsv, memory.txt, profile.txt, the JFR file
                      and the manager's log (default: bench/manager/target)
  --keep              keep the temporary folder with the unpacked manager
  -h, --help          show this help
EOF
}

parse_args() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --regions) regions="${2:?--regions needs a number}"; shift 2 ;;
            --sites) sites_per_region="${2:?--sites needs a number}"; shift 2 ;;
            --nodes) nodes="${2:?--nodes needs a number}"; shift 2 ;;
            --parallel) parallelism="${2:?--parallel needs a number}"; shift 2 ;;
            --sample) sample="${2:?--sample needs a number}"; shift 2 ;;
            --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
            --profile) profile_seconds="${2:?--profile needs a number of seconds}"; shift 2 ;;
            --manager-opts) manager_opts="${2?--manager-opts needs a value}"; shift 2 ;;
            --tarball) manager_tarball="${2:?--tarball needs a file}"; shift 2 ;;
            --output) output_dir="${2:?--output needs a folder}"; shift 2 ;;
            --keep) keep_work=true; shift ;;
            -h|--help) usage; exit 0 ;;
            *) usage >&2; fail "unknown option '$1'; see --help" ;;
        esac
    done

    local name value
    for name in regions sites_per_region nodes parallelism sample seed; do
        value="${!name}"
        [[ "${value}" =~ ^[1-9][0-9]*$ ]] || fail "invalid ${name//_/ } '${value}': expected a positive integer"
    done
    [[ "${profile_seconds}" =~ ^[0-9]+$ ]] || fail "invalid --profile '${profile_seconds}': expected whole seconds"
    (( regions <= 99 && sites_per_region <= 99 )) || fail "at most 99 regions and 99 sites per region are supported"
    (( nodes <= 99999 )) || fail "at most 99999 nodes are supported"
}

# ---------------------------------------------------------------------------------------
# Cleanup: stop every process that runs from the temporary folder.
# ---------------------------------------------------------------------------------------

work_dir=""

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

# Prints the class path of the Jackson jars in the local Maven repository.
jackson_class_path() {
    local base="${HOME}/.m2/repository/com/fasterxml/jackson/core" artifact jar class_path=""
    for artifact in jackson-core jackson-databind jackson-annotations; do
        jar="${base}/${artifact}/${JACKSON_VERSION}/${artifact}-${JACKSON_VERSION}.jar"
        [[ -s "${jar}" ]] || fail "missing ${jar}; fetch it with: mvn dependency:get -Dartifact=com.fasterxml.jackson.core:${artifact}:${JACKSON_VERSION}"
        class_path="${class_path:+${class_path}:}${jar}"
    done
    echo "${class_path}"
}

start_manager() {
    work_dir="$(mktemp -d "${TMPDIR:-/tmp}/weft-bench-manager.XXXXXX")"
    tar -xzf "${manager_tarball}" -C "${work_dir}"
    local homes=("${work_dir}"/*/)
    [[ ${#homes[@]} -eq 1 && -x "${homes[0]}bin/start" ]] \
        || fail "${manager_tarball} does not unpack to a single Karaf folder"
    home="${homes[0]%/}"

    ssh_port="$(free_port)"
    http_port="$(free_port "${ssh_port}")"
    set_cfg "${home}/etc/org.apache.karaf.shell.cfg" sshPort "${ssh_port}"
    set_cfg "${home}/etc/org.apache.karaf.shell.cfg" sshHost 127.0.0.1
    set_cfg "${home}/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "${http_port}"
    set_cfg "${home}/etc/org.ops4j.pax.web.cfg" org.ops4j.pax.web.listening.addresses 127.0.0.1
    https_port="$(free_port "${ssh_port}" "${http_port}")"
    control_port="$(free_port "${ssh_port}" "${http_port}" "${https_port}")"
    set_cfg "${home}/etc/io.weft.manager.pki.cfg" httpsPort "${https_port}"
    set_cfg "${home}/etc/io.weft.manager.pki.cfg" enrollmentUrl "https://127.0.0.1:${https_port}/api/v1/enroll"
    set_cfg "${home}/etc/io.weft.manager.pki.cfg" controlAddress "127.0.0.1:${control_port}"
    touch "${home}/etc/io.weft.manager.control.cfg"
    set_cfg "${home}/etc/io.weft.manager.control.cfg" port "${control_port}"
    if [[ -f "${home}/etc/org.apache.karaf.management.cfg" ]]; then
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiRegistryPort "$(free_port "${ssh_port}" "${http_port}")"
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiRegistryHost 127.0.0.1
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiServerPort "$(free_port "${ssh_port}" "${http_port}")"
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiServerHost 127.0.0.1
    fi
    base_url="http://127.0.0.1:${http_port}"
    api_url="https://127.0.0.1:${https_port}/api/v1"

    log "starting the manager in ${home} (HTTP ${http_port}, HTTPS ${https_port}, SSH ${ssh_port})"
    local started_ms=$(( ${EPOCHREALTIME/[.,]/} / 1000 ))
    run_karaf_script start || fail "bin/start failed"
    local deadline=$((SECONDS + BOOT_TIMEOUT_SECONDS)) seen_jvm=false
    until [[ "$(http_status "${base_url}/health/ready")" == 200 ]]; do
        (( SECONDS < deadline )) \
            || fail "the manager did not report ready within ${BOOT_TIMEOUT_SECONDS} s; see ${output_dir}/karaf.log"
        # bin/start returns before the JVM runs, so only a JVM seen once can have exited.
        if [[ -n "$(karaf_pid)" ]]; then
            seen_jvm=true
        elif ${seen_jvm}; then
            fail "the manager JVM exited during start; see ${output_dir}/karaf.log"
        fi
        sleep 0.2
    done
    manager_pid="$(karaf_pid)"
    export WEFT_CA_FILE="${home}/data/weft/ca/root-ca.pem"
    log "manager ready after $(( ${EPOCHREALTIME/[.,]/} / 1000 - started_ms )) ms, pid ${manager_pid}"
    check_loopback_only "${manager_pid}"
}

bench() {
    java -cp "${class_path}" "${SCRIPT_DIR}/Bench.java" "$@"
}

# ---------------------------------------------------------------------------------------
# Memory and profile
# ---------------------------------------------------------------------------------------

# Runs a full GC in the manager and records the heap and the RSS after it.
record_memory() {
    local label="$1" file="${output_dir}/memory.txt"
    jcmd "${manager_pid}" GC.run > /dev/null
    sleep 1
    {
        echo "== ${label}"
        jcmd "${manager_pid}" GC.heap_info | tail -n +2
        jstat -gc "${manager_pid}"
        grep -E '^(VmRSS|VmHWM)' "/proc/${manager_pid}/status"
    } >> "${file}"
    local used_kb rss_kb
    used_kb="$(jcmd "${manager_pid}" GC.heap_info | awk '/garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub(/K.*/, "", $(i+1)); print $(i+1) } }')"
    rss_kb="$(awk '/^VmRSS/ { print $2 }' "/proc/${manager_pid}/status")"
    printf 'memory.%s.heap_used_kb\t%s\nmemory.%s.rss_kb\t%s\n' \
        "${label}" "${used_kb:-?}" "${label}" "${rss_kb}" >> "${output_dir}/results.tsv"
    log "${label}: heap used after full GC ${used_kb:-?} kB, RSS ${rss_kb} kB"
}

# Records a JFR profile while the client requests effective profiles one at a time, and
# writes the hottest frames of the manager's HTTP threads to profile.txt.
record_profile() {
    local jfr_file="${output_dir}/effective-profile.jfr"
    rm -f "${jfr_file}"
    jcmd "${manager_pid}" JFR.start name=bench settings=profile > /dev/null
    bench load "${api_url}" "${token_file}" "${profile_seconds}"
    jcmd "${manager_pid}" JFR.stop name=bench filename="${jfr_file}" > /dev/null
    jfr print --events jdk.ExecutionSample --stack-depth 96 "${jfr_file}" > "${work_dir}/samples.txt"
    python3 "${SCRIPT_DIR}/jfr_top.py" "${work_dir}/samples.txt" > "${output_dir}/profile.txt"
    log "JFR profile summary in ${output_dir}/profile.txt"
}

main() {
    parse_args "$@"
    (( sample <= nodes )) || sample="${nodes}"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'log "failed at line ${LINENO}: ${BASH_COMMAND}"' ERR

    build_manager_if_missing
    class_path="$(jackson_class_path)"
    mkdir -p "${output_dir}"
    rm -f "${output_dir}/results.tsv" "${output_dir}/memory.txt"

    start_manager
    issue_token
    record_memory empty

    bench populate "${api_url}" "${token_file}" "${regions}" "${sites_per_region}" "${nodes}" "${parallelism}"
    bench measure "${api_url}" "${token_file}" "${sample}" "${seed}" "${work_dir}/measure.tsv"
    cat "${work_dir}/measure.tsv" >> "${output_dir}/results.tsv"
    record_memory loaded

    if (( profile_seconds > 0 )); then
        record_profile
    fi

    {
        printf 'machine.nproc\t%s\n' "$(nproc)"
        printf 'machine.cpu\t%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
        printf 'machine.loadavg\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
        printf 'java.version\t%s\n' "$(java -version 2>&1 | head -n 1)"
        printf 'manager.heap_options\t%s\n' "$(jcmd "${manager_pid}" VM.command_line \
            | awk -F': ' '/^jvm_args/ { print $2 }' | grep -oE -- '-X(m[sx]|ss)[^ ]+|-XX:[^ ]*(GC|Heap|RAM)[^ ]*' | tr '\n' ' ' || true)"
        printf 'manager.max_heap_bytes\t%s\n' "$(jcmd "${manager_pid}" VM.flags | grep -oE -- '-XX:MaxHeapSize=[0-9]+' | cut -d= -f2)"
    } >> "${output_dir}/results.tsv"
    log "figures in ${output_dir}/results.tsv"
    cat "${output_dir}/results.tsv"
}

main "$@"
