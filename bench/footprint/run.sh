#!/usr/bin/env bash
#
# Measures the boot-to-ready time and the idle resident memory (VmRSS) of the Weft node
# distribution, and of stock Apache Karaf 4.4.10 and Karaf minimal 4.4.8 started the same
# way in the same run. README.md beside this script describes the method and the figures.
#
# Every distribution is unpacked into a temporary folder, moved onto free loopback ports,
# started with bin/start and stopped with bin/stop. Only processes whose command line
# contains that temporary folder are ever signalled.
#
set -euo pipefail
# Functions and subshells inherit the ERR trap, so a failing command is logged.
set -o errtrace

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"

readonly KARAF_VERSION=4.4.10
readonly KARAF_MINIMAL_VERSION=4.4.8
readonly DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

# Seconds to wait for a start or a stop before the run fails.
readonly BOOT_TIMEOUT_SECONDS=300
readonly STOP_TIMEOUT_SECONDS=60
# Interval between two readiness probes, in seconds. It bounds the timing resolution.
readonly PROBE_INTERVAL_SECONDS=0.05
# Listening ports are drawn from this range, below Linux's default ephemeral range
# (32768-60999) so that they do not collide with ports that other programs bind to port 0.
readonly PORT_MIN=20000
readonly PORT_MAX=32000

readonly ALL_CONFIGS="node node-throughput karaf karaf-xmx64m karaf-node-jvm minimal minimal-xmx64m minimal-node-jvm"
readonly DEFAULT_CONFIGS="node karaf karaf-xmx64m minimal minimal-xmx64m minimal-node-jvm"

rounds=3
idle_seconds=60
configs="${DEFAULT_CONFIGS}"
node_extra_opts=""
node_tarball="${REPO_ROOT}/karaf-distribution/node/target/weft-node-0.1.0-SNAPSHOT.tar.gz"
download_dir="${SCRIPT_DIR}/target/downloads"
output_file="${SCRIPT_DIR}/target/results.md"
keep_work=false
node_tarball_info=""

usage() {
    cat <<EOF
Usage: bench/footprint/run.sh [options]

Starts each configuration ROUNDS times from a fresh copy. Each round has two phases:
the first start of the fresh copy and a restart of the same copy. Each phase measures
the time from bin/start until the SSH port accepts a TCP connection (and, for the node,
until GET /health/ready returns 200), then waits IDLE seconds and reads VmRSS of the
Karaf JVM. Prints a table of medians and writes it as markdown to the output file.

Options:
  --rounds N          rounds per configuration (default ${rounds})
  --idle SECONDS      idle time before VmRSS is read (default ${idle_seconds})
  --configs "A B"     configurations to measure, in this order (default: ${DEFAULT_CONFIGS})
                      known: ${ALL_CONFIGS}
  --node-opts "OPTS"  EXTRA_JAVA_OPTS for the node configurations, added after the options
                      of their JVM profile
                      (default: none, so the node runs with its defaults)
  --node-tarball FILE node distribution to measure (default: the one the build makes;
                      it is built if missing)
  --output FILE       markdown output (default: bench/footprint/target/results.md)
  --keep              keep the temporary folder with the unpacked copies and their logs
  -h, --help          show this help

Configurations:
  node              Weft node with its defaults from bin/setenv (the small JVM profile)
  node-throughput   Weft node with the throughput JVM profile set in etc/weft-jvm.properties
  karaf             stock Karaf ${KARAF_VERSION}, no JVM option (JVM defaults: G1, heap up to 1/4 of RAM)
  karaf-xmx64m      stock Karaf ${KARAF_VERSION} with EXTRA_JAVA_OPTS=-Xmx64m
  karaf-node-jvm    stock Karaf ${KARAF_VERSION} with the node's bin/setenv copied in
  minimal           stock Karaf minimal ${KARAF_MINIMAL_VERSION}, no JVM option
  minimal-xmx64m    stock Karaf minimal ${KARAF_MINIMAL_VERSION} with EXTRA_JAVA_OPTS=-Xmx64m
  minimal-node-jvm  stock Karaf minimal ${KARAF_MINIMAL_VERSION} with the node's bin/setenv copied in
EOF
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
            --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
            --idle) idle_seconds="${2:?--idle needs a number of seconds}"; shift 2 ;;
            --configs) configs="${2:?--configs needs a list}"; shift 2 ;;
            --node-opts) node_extra_opts="${2?--node-opts needs a value}"; shift 2 ;;
            --node-tarball) node_tarball="${2:?--node-tarball needs a file}"; shift 2 ;;
            --output) output_file="${2:?--output needs a file}"; shift 2 ;;
            --keep) keep_work=true; shift ;;
            -h|--help) usage; exit 0 ;;
            *) usage >&2; fail "unknown option '$1'; see --help" ;;
        esac
    done

    [[ "${rounds}" =~ ^[1-9][0-9]*$ ]] || fail "invalid --rounds '${rounds}': expected a positive integer"
    [[ "${idle_seconds}" =~ ^[0-9]+$ ]] || fail "invalid --idle '${idle_seconds}': expected whole seconds"
    local config
    for config in ${configs}; do
        [[ " ${ALL_CONFIGS} " == *" ${config} "* ]] \
            || fail "unknown configuration '${config}'; known: ${ALL_CONFIGS}"
    done
}

# ---------------------------------------------------------------------------------------
# Cleanup: stop every process that runs from the temporary folder.
# ---------------------------------------------------------------------------------------

work_dir=""

# Prints the ids of processes whose command line contains the temporary folder.
processes_in_work_dir() {
    [[ -n "${work_dir}" ]] || return 0
    local proc pid command_line
    for proc in /proc/[0-9]*; do
        pid="${proc#/proc/}"
        [[ "${pid}" != "$$" && "${pid}" != "${BASHPID}" ]] || continue
        command_line="$(tr '\0' ' ' 2>/dev/null < "${proc}/cmdline")" || continue
        if [[ "${command_line}" == *"${work_dir}/"* ]]; then
            echo "${pid}"
        fi
    done
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local pids
    pids="$(processes_in_work_dir)"
    if [[ -n "${pids}" ]]; then
        log "stopping leftover processes: ${pids//$'\n'/ }"
        # shellcheck disable=SC2086
        kill -TERM ${pids} 2>/dev/null || true
        local waited=0
        while [[ -n "$(processes_in_work_dir)" && ${waited} -lt 20 ]]; do
            sleep 0.5
            waited=$((waited + 1))
        done
        pids="$(processes_in_work_dir)"
        if [[ -n "${pids}" ]]; then
            log "killing processes that ignored SIGTERM: ${pids//$'\n'/ }"
            # shellcheck disable=SC2086
            kill -KILL ${pids} 2>/dev/null || true
        fi
    fi
    if [[ -n "${work_dir}" && -d "${work_dir}" ]]; then
        if ${keep_work}; then
            log "kept ${work_dir}"
        else
            rm -rf -- "${work_dir}"
        fi
    fi
    exit "${status}"
}

# ---------------------------------------------------------------------------------------
# Distributions
# ---------------------------------------------------------------------------------------

# Downloads a Karaf tar.gz from the Maven repository into the download folder, once.
fetch_karaf() {
    local artifact_id="$1" version="$2"
    local file="${download_dir}/${artifact_id}-${version}.tar.gz"
    if [[ ! -s "${file}" ]]; then
        log "fetching org.apache.karaf:${artifact_id}:${version}:tar.gz through Maven"
        mkdir -p "${download_dir}"
        # Run outside the reactor so that the goal does not execute once per module.
        (cd "${download_dir}" && mvn -B -q "${DEPENDENCY_PLUGIN}:copy" \
            -Dartifact="org.apache.karaf:${artifact_id}:${version}:tar.gz" \
            -DoutputDirectory="${download_dir}") >&2 \
            || fail "Maven failed to fetch org.apache.karaf:${artifact_id}:${version}:tar.gz; check its output above"
    fi
    echo "${file}"
}

build_node_if_missing() {
    if [[ ! -s "${node_tarball}" ]]; then
        log "building the node distribution (missing: ${node_tarball})"
        (cd "${REPO_ROOT}" && mvn -B -q -DskipTests install -pl karaf-distribution/node -am) >&2 \
            || fail "the node distribution build failed; see the Maven output above"
        [[ -s "${node_tarball}" ]] || fail "the build did not produce ${node_tarball}"
    fi
}

tarball_of() {
    case "$1" in
        node|node-throughput) echo "${node_tarball}" ;;
        karaf*) echo "${download_dir}/apache-karaf-${KARAF_VERSION}.tar.gz" ;;
        minimal*) echo "${download_dir}/apache-karaf-minimal-${KARAF_MINIMAL_VERSION}.tar.gz" ;;
    esac
}

# EXTRA_JAVA_OPTS that a configuration passes to bin/start.
extra_java_opts_of() {
    case "$1" in
        node|node-throughput) echo "${node_extra_opts}" ;;
        *-xmx64m) echo "-Xmx64m" ;;
        *) echo "" ;;
    esac
}

# Prints a port in [PORT_MIN, PORT_MAX] that nothing listens on and that differs from the
# ports given as arguments.
free_port() {
    local port attempt
    for attempt in $(seq 1 200); do
        port=$((PORT_MIN + RANDOM % (PORT_MAX - PORT_MIN)))
        [[ " $* " != *" ${port} "* ]] || continue
        if [[ -z "$(ss -Htan "sport = :${port}")" ]]; then
            echo "${port}"
            return 0
        fi
    done
    fail "no free TCP port found in ${PORT_MIN}-${PORT_MAX}"
}

# Sets KEY = VALUE in a Karaf .cfg file, replacing the key's line or appending one.
set_cfg() {
    local file="$1" key="$2" value="$3"
    if grep -qE "^[[:space:]]*${key}[[:space:]]*=" "${file}"; then
        sed -i -E "s|^[[:space:]]*${key}[[:space:]]*=.*|${key} = ${value}|" "${file}"
    else
        printf '%s = %s\n' "${key}" "${value}" >> "${file}"
    fi
}

# Unpacks a configuration's distribution into DIR and prints the Karaf home inside it.
unpack() {
    local config="$1" dir="$2"
    mkdir -p "${dir}"
    tar -xzf "$(tarball_of "${config}")" -C "${dir}"
    local homes=("${dir}"/*/)
    [[ ${#homes[@]} -eq 1 && -x "${homes[0]}bin/start" ]] \
        || fail "$(tarball_of "${config}") does not unpack to a single Karaf folder"
    echo "${homes[0]%/}"
}

# Moves SSH, HTTP and JMX listeners of an unpacked copy onto the given loopback ports.
configure_listeners() {
    local config="$1" home="$2" ssh_port="$3" http_port="$4" rmi_registry_port="$5" rmi_server_port="$6"
    set_cfg "${home}/etc/org.apache.karaf.shell.cfg" sshPort "${ssh_port}"
    set_cfg "${home}/etc/org.apache.karaf.shell.cfg" sshHost 127.0.0.1
    if [[ -f "${home}/etc/org.ops4j.pax.web.cfg" ]]; then
        set_cfg "${home}/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "${http_port}"
        set_cfg "${home}/etc/org.ops4j.pax.web.cfg" org.ops4j.pax.web.listening.addresses 127.0.0.1
    fi
    if [[ -f "${home}/etc/org.apache.karaf.management.cfg" ]]; then
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiRegistryPort "${rmi_registry_port}"
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiRegistryHost 127.0.0.1
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiServerPort "${rmi_server_port}"
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiServerHost 127.0.0.1
    fi
    if [[ "${config}" == *-node-jvm ]]; then
        cp "${work_dir}/node-setenv" "${home}/bin/setenv"
    fi
    if [[ "${config}" == node-throughput ]]; then
        set_cfg "${home}/etc/weft-jvm.properties" profile throughput
    fi
    if [[ "${config}" == node* ]]; then
        # The node adds this key to the user 'admin' on its first start, and the SSH check
        # logs in with it.
        cp "${work_dir}/operator-key.pub" "${home}/etc/weft-admin.pub"
    fi
}

# ---------------------------------------------------------------------------------------
# One start, measurement and stop
# ---------------------------------------------------------------------------------------

now_ms() {
    local micros="${EPOCHREALTIME/[.,]/}"
    echo $((micros / 1000))
}

tcp_port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

http_status() {
    curl --noproxy '*' -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
}

# Runs a bin/ script of a copy in a clean JVM environment: only EXTRA_JAVA_OPTS, if given.
run_karaf_script() {
    local home="$1" script="$2" extra_opts="$3"
    (
        cd "${home}"
        unset JAVA_OPTS EXTRA_JAVA_OPTS KARAF_OPTS KARAF_SYSTEM_OPTS JAVA_MIN_MEM JAVA_MAX_MEM \
            JAVA_PERM_MEM JAVA_MAX_PERM_MEM KARAF_DEBUG KARAF_REDIRECT WEFT_JVM_DEFAULTS_APPLIED
        if [[ -n "${extra_opts}" ]]; then
            export EXTRA_JAVA_OPTS="${extra_opts}"
        fi
        "bin/${script}"
    ) > /dev/null 2>&1
}

# Fails unless every TCP listener of the process binds a loopback address.
check_loopback_only() {
    local pid="$1" label="$2" address
    while read -r address; do
        case "${address%:*}" in
            127.*|'[::1]'|'[::ffff:127.'*) ;;
            *) fail "${label}: the Karaf JVM listens on ${address}, which is not a loopback address" ;;
        esac
    done < <(ss -Htlnp | awk -v pid="pid=${pid}," 'index($0, pid) { print $4 }')
}

# Logs in over SSH with the operator key and fails unless weft:version reports ready.
check_node_ssh() {
    local ssh_port="$1" label="$2" output
    output="$(timeout 60 ssh -F /dev/null -n -o BatchMode=yes -o IdentitiesOnly=yes \
        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
        -o ConnectTimeout=10 -i "${work_dir}/operator-key" -p "${ssh_port}" \
        admin@127.0.0.1 weft:version 2>&1)" || true
    grep -q 'Ready: *yes' <<< "${output}" \
        || fail "${label}: SSH login with weft:version failed: ${output}"
}

# Stops a copy with bin/stop and fails if its JVM still runs STOP_TIMEOUT_SECONDS later.
stop_and_verify() {
    local home="$1" pid="$2" extra_opts="$3" label="$4"
    run_karaf_script "${home}" stop "${extra_opts}" || log "${label}: bin/stop returned an error"
    local deadline=$(( $(now_ms) + STOP_TIMEOUT_SECONDS * 1000 ))
    while [[ -d "/proc/${pid}" ]]; do
        if (( $(now_ms) > deadline )); then
            kill -KILL "${pid}" 2>/dev/null || true
            fail "${label}: the Karaf JVM (pid ${pid}) did not stop within ${STOP_TIMEOUT_SECONDS} s of bin/stop"
        fi
        sleep 0.2
    done
}

# Starts a copy, measures it and stops it. Appends one result line to results.tsv:
# config, round, phase, ms until the SSH port opens, ms until /health/ready returns 200
# (node only, otherwise -), VmRSS in kB after the idle time, JVM options.
measure_phase() {
    local config="$1" round="$2" phase="$3" home="$4" ssh_port="$5" http_port="$6"
    local label="${config} round ${round} ${phase}"
    local extra_opts
    extra_opts="$(extra_java_opts_of "${config}")"

    rm -f "${home}/karaf.pid"
    local start_ms
    start_ms="$(now_ms)"
    run_karaf_script "${home}" start "${extra_opts}"

    local pid="" ssh_ms="" ready_ms="-"
    [[ "${config}" == node* ]] && ready_ms=""
    local deadline=$((start_ms + BOOT_TIMEOUT_SECONDS * 1000))
    while [[ -z "${ssh_ms}" || -z "${ready_ms}" ]]; do
        if [[ -z "${ssh_ms}" ]] && tcp_port_open "${ssh_port}"; then
            ssh_ms=$(( $(now_ms) - start_ms ))
        fi
        if [[ -z "${ready_ms}" && "$(http_status "http://127.0.0.1:${http_port}/health/ready")" == 200 ]]; then
            ready_ms=$(( $(now_ms) - start_ms ))
        fi
        if [[ -z "${pid}" && -s "${home}/karaf.pid" ]]; then
            pid="$(tr -dc '0-9' < "${home}/karaf.pid")"
        fi
        if [[ -n "${pid}" && ! -d "/proc/${pid}" ]]; then
            fail "${label}: the Karaf JVM (pid ${pid}) exited during boot; see ${home}/data/log/karaf.log"
        fi
        if (( $(now_ms) > deadline )); then
            fail "${label}: not ready within ${BOOT_TIMEOUT_SECONDS} s (SSH port ${ssh_port}: ${ssh_ms:-closed}, /health/ready: ${ready_ms:-not 200}); see ${home}/data/log/karaf.log"
        fi
        sleep "${PROBE_INTERVAL_SECONDS}"
    done
    [[ -n "${pid}" ]] || pid="$(tr -dc '0-9' < "${home}/karaf.pid")"
    tr '\0' '\n' < "/proc/${pid}/cmdline" | grep -qF -- "-Dkaraf.base=${home}" \
        || fail "${label}: pid ${pid} from karaf.pid is not the Karaf JVM of ${home}"

    sleep "${idle_seconds}"
    local rss_kb
    rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/${pid}/status")"

    check_loopback_only "${pid}" "${label}"
    if [[ "${config}" == node* ]]; then
        [[ "$(http_status "http://127.0.0.1:${http_port}/health/ready")" == 200 ]] \
            || fail "${label}: /health/ready no longer returns 200 after the idle time"
        check_node_ssh "${ssh_port}" "${label}"
    fi

    local jvm_opts
    jvm_opts="$(tr '\0' '\n' < "/proc/${pid}/cmdline" | awk '(/^-X/ && !/UnlockDiagnosticVMOptions/) || (/^-D/ && !/^-D(karaf|java)\./)' | tr '\n' ' ')"
    stop_and_verify "${home}" "${pid}" "${extra_opts}" "${label}"

    log "${label}: SSH port ${ssh_ms} ms, /health/ready ${ready_ms} ms, VmRSS $((rss_kb / 1024)) MiB"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${config}" "${round}" "${phase}" "${ssh_ms}" \
        "${ready_ms}" "${rss_kb}" "${jvm_opts% }" >> "${work_dir}/results.tsv"
}

measure_round() {
    local config="$1" round="$2"
    local ssh_port http_port rmi_registry_port rmi_server_port
    ssh_port="$(free_port)"
    http_port="$(free_port "${ssh_port}")"
    rmi_registry_port="$(free_port "${ssh_port}" "${http_port}")"
    rmi_server_port="$(free_port "${ssh_port}" "${http_port}" "${rmi_registry_port}")"

    local home
    home="$(unpack "${config}" "${work_dir}/${config}-${round}")"
    configure_listeners "${config}" "${home}" "${ssh_port}" "${http_port}" \
        "${rmi_registry_port}" "${rmi_server_port}"

    measure_phase "${config}" "${round}" first-start "${home}" "${ssh_port}" "${http_port}"
    measure_phase "${config}" "${round}" restart "${home}" "${ssh_port}" "${http_port}"

    ${keep_work} || rm -rf -- "${work_dir:?}/${config}-${round}"
}

# ---------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------

# Prints the markdown report of results.tsv: medians per configuration and phase, the
# ratios to the node, and every round's figures.
write_report() {
    local command_line="$1" started_at="$2" load_before="$3" load_after="$4"
    cat <<EOF
## Footprint run of ${started_at}

- command: \`${command_line}\`
- machine: $(nproc) vCPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)
- Java: $(java -version 2>&1 | sed -n 2p)
- node distribution: built ${node_tarball_info} (date, start of its SHA-256)
- load average before / after: ${load_before} / ${load_after}
- rounds per configuration: ${rounds}; the tables give medians; VmRSS is read ${idle_seconds} s after ready
- "SSH port" is the time from bin/start until the SSH port accepts a TCP connection;
  "ready" is the time until GET /health/ready returns 200 (node only)

EOF
    awk -F'\t' -v configs="${configs}" '
        function median(list,    values, n, i, j, swap) {
            n = split(list, values, " ")
            for (i = 2; i <= n; i++) {
                for (j = i; j > 1 && values[j - 1] + 0 > values[j] + 0; j--) {
                    swap = values[j]; values[j] = values[j - 1]; values[j - 1] = swap
                }
            }
            if (n == 0) return ""
            if (n % 2) return values[(n + 1) / 2]
            return (values[n / 2] + values[n / 2 + 1]) / 2
        }
        function seconds(ms) { return ms == "" ? "-" : sprintf("%.2f", ms / 1000) }
        function mib(kb) { return kb == "" ? "-" : sprintf("%.0f", kb / 1024) }
        function ratio(value, base) { return (value == "" || base == "" || base == 0) ? "-" : sprintf("%.2f", value / base) }
        {
            key = $1 SUBSEP $3
            ssh[key] = ssh[key] " " $4
            if ($5 != "-") ready[key] = ready[key] " " $5
            rss[key] = rss[key] " " $6
            if (!($1 in options)) options[$1] = $7
            rows[++row_count] = $0
        }
        END {
            n = split(configs, names, " ")
            split("first-start restart", phases, " ")
            for (i = 1; i <= n; i++) for (p = 1; p <= 2; p++) {
                key = names[i] SUBSEP phases[p]
                m_ssh[key] = median(ssh[key]); m_ready[key] = median(ready[key]); m_rss[key] = median(rss[key])
            }

            print "| configuration | JVM options (-X, and -D other than Karaf'"'"'s own) | first start: SSH port (s) | first start: ready (s) | first start: VmRSS (MiB) | restart: SSH port (s) | restart: ready (s) | restart: VmRSS (MiB) |"
            print "|---|---|--:|--:|--:|--:|--:|--:|"
            for (i = 1; i <= n; i++) {
                f = names[i] SUBSEP "first-start"; r = names[i] SUBSEP "restart"
                printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", names[i], options[names[i]] == "" ? "(none)" : "`" options[names[i]] "`",
                    seconds(m_ssh[f]), seconds(m_ready[f]), mib(m_rss[f]), seconds(m_ssh[r]), seconds(m_ready[r]), mib(m_rss[r])
            }

            if ((("node" SUBSEP "restart") in m_rss) && n > 1) {
                print ""
                print "Ratios of medians to the node in this run (above 1: more than the node):"
                print ""
                print "| configuration | VmRSS, first start | VmRSS, restart | SSH port, first start | SSH port, restart |"
                print "|---|--:|--:|--:|--:|"
                for (i = 1; i <= n; i++) {
                    if (names[i] == "node") continue
                    f = names[i] SUBSEP "first-start"; r = names[i] SUBSEP "restart"
                    nf = "node" SUBSEP "first-start"; nr = "node" SUBSEP "restart"
                    printf "| %s | %s | %s | %s | %s |\n", names[i], ratio(m_rss[f], m_rss[nf]), ratio(m_rss[r], m_rss[nr]),
                        ratio(m_ssh[f], m_ssh[nf]), ratio(m_ssh[r], m_ssh[nr])
                }
            }

            print ""
            print "Every round:"
            print ""
            print "| configuration | round | phase | SSH port (s) | ready (s) | VmRSS (MiB) |"
            print "|---|--:|---|--:|--:|--:|"
            for (i = 1; i <= row_count; i++) {
                split(rows[i], fields, "\t")
                printf "| %s | %s | %s | %s | %s | %s |\n", fields[1], fields[2], fields[3], seconds(fields[4]),
                    fields[5] == "-" ? "-" : seconds(fields[5]), mib(fields[6])
            }
        }' "${work_dir}/results.tsv"
}

main() {
    local command_line="bench/footprint/run.sh"
    [[ $# -eq 0 ]] || command_line+="$(printf ' %q' "$@")"
    parse_args "$@"
    for tool in mvn java curl ssh ssh-keygen ss tar awk; do
        command -v "${tool}" > /dev/null || fail "missing tool '${tool}'; install it and run again"
    done

    trap cleanup EXIT
    trap 'log "ERROR: command failed (status $?) at line ${LINENO}: ${BASH_COMMAND}"' ERR
    trap 'exit 130' INT
    trap 'exit 143' TERM

    build_node_if_missing
    fetch_karaf apache-karaf "${KARAF_VERSION}" > /dev/null
    fetch_karaf apache-karaf-minimal "${KARAF_MINIMAL_VERSION}" > /dev/null

    work_dir="$(mktemp -d "${TMPDIR:-/tmp}/weft-footprint.XXXXXX")"
    log "working in ${work_dir}"
    # Every round unpacks this copy, so a rebuild during the run does not mix two builds.
    node_tarball_info="$(date -u -r "${node_tarball}" +%Y-%m-%dT%H:%MZ) $(sha256sum "${node_tarball}" | cut -c1-12)"
    cp "${node_tarball}" "${work_dir}/node.tar.gz"
    node_tarball="${work_dir}/node.tar.gz"
    : > "${work_dir}/results.tsv"
    # Karaf's SSH login accepts RSA and ECDSA keys, not Ed25519.
    ssh-keygen -q -t ecdsa -b 256 -N '' -C weft-footprint -f "${work_dir}/operator-key"
    # The *-node-jvm configurations use the node's bin/setenv.
    tar -xzf "${node_tarball}" -O --wildcards '*/bin/setenv' > "${work_dir}/node-setenv"
    [[ -s "${work_dir}/node-setenv" ]] || fail "${node_tarball} contains no bin/setenv"

    local started_at load_before
    started_at="$(date -u +%Y-%m-%dT%H:%MZ)"
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

    local round config
    for round in $(seq 1 "${rounds}"); do
        for config in ${configs}; do
            measure_round "${config}" "${round}"
        done
    done

    mkdir -p "$(dirname "${output_file}")"
    write_report "${command_line}" "${started_at}" "${load_before}" "$(cut -d' ' -f1-3 /proc/loadavg)" \
        > "${output_file}"
    cat "${output_file}"
    log "wrote ${output_file}"
}

main "$@"
