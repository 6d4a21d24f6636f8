#!/usr/bin/env bash
#
# Benchmarks the Weft mesh data plane against stunnel4, haproxy and plain TCP on 127.0.0.1:
# bulk throughput, round trips of small messages, CPU seconds per GB of each process on a
# path, and the memory of idle streams and tunnels. README.md beside this script describes
# the topology, the method and the figures.
#
# Every process runs from a work folder under the output folder: a Weft manager, a gateway
# and two edges unpacked from the distributions, the stunnel4 and haproxy processes, and the
# sink and echo services of MeshBench.java. Only processes that this script started, by their
# pid or by a command line that names the work folder, are ever signalled.
#
set -euo pipefail
set -o errtrace

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
readonly WEFT_VERSION=0.1.0-SNAPSHOT
readonly BOOT_TIMEOUT_SECONDS=180
# Edges dial the gateway with backoff, so the first stream through a connector may take a while.
readonly MESH_TIMEOUT_SECONDS=120
readonly PORT_MIN=20000
readonly PORT_MAX=32000
readonly ROOT_DOMAIN=bench.example
readonly APT_PACKAGES=(stunnel4 haproxy openssl)

bytes=$((2 * 1024 * 1024 * 1024))
rounds=5
messages=20000
message_bytes=64
idle_streams=600
tunnels=100
only=""
node_java_opts=""
node_profile=""
profile=false
keep=false
manager_tarball="${REPO_ROOT}/karaf-distribution/manager/target/weft-manager-${WEFT_VERSION}.tar.gz"
node_tarball="${REPO_ROOT}/karaf-distribution/node/target/weft-node-${WEFT_VERSION}.tar.gz"
maven_repository="${HOME}/.m2/repository"
output_dir="${SCRIPT_DIR}/target"

usage() {
    cat <<USAGE
Usage: bench/mesh/run.sh [options]

Starts on 127.0.0.1 a Weft manager, a gateway and two edges from the distributions, and
sets them up through the manager's REST API: edge-a has connectors to services on the
gateway (one hop) and on edge-b (relayed through the gateway). Starts stunnel4 and haproxy
with mutual TLS over the same topology, and a sink and an echo service. Then measures, over
each path in interleaved rounds: bulk throughput into the sink, round trips of small
messages to the echo service, and CPU seconds per GB of each process on the path. Last, it
opens idle connections through the Weft connectors and measures memory per idle stream on
each node, and measures memory per idle tunnel with the mesh library in two JVMs.

Options:
  --bytes N            bytes sent per throughput round (default ${bytes}, 2 GiB)
  --rounds N           throughput and latency rounds per path (default ${rounds})
  --messages N         round trips per path, over all rounds (default ${messages})
  --message-bytes N    size of each echoed message in bytes (default ${message_bytes})
  --idle-streams N     idle connections opened through each Weft connector (default ${idle_streams}; 0 skips)
  --tunnels N          idle tunnels for the per-tunnel memory (default ${tunnels}; 0 skips)
  --only REGEX         measure only the paths whose name matches, such as 'weft|direct'
  --node-java-opts S   extra JVM options of the three Weft nodes, after those of their JVM profile
  --node-profile NAME  JVM profile of the three Weft nodes, written to their etc/weft-jvm.properties:
                       small or throughput (default: the distribution's, small)
  --profile            record JFR on the Weft nodes during the rounds, into the output folder
  --manager FILE       manager distribution (default: the reactor build's tar.gz)
  --node FILE          node distribution (default: the reactor build's tar.gz)
  --maven-repo DIR     local Maven repository with the mesh library's jars (default ~/.m2/repository)
  --output DIR         folder for results.tsv, certificates, logs and the work folder
                       (default: bench/mesh/target)
  --keep               leave every process running and print how to stop them
  -h, --help           show this help

Needs Java 17 with jcmd, curl, ss, openssl, stunnel4 and haproxy. Run as root, it installs
the missing Debian packages ${APT_PACKAGES[*]} through apt-get.
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
            --bytes) bytes="${2:?--bytes needs a number}"; shift 2 ;;
            --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
            --messages) messages="${2:?--messages needs a number}"; shift 2 ;;
            --message-bytes) message_bytes="${2:?--message-bytes needs a number}"; shift 2 ;;
            --idle-streams) idle_streams="${2:?--idle-streams needs a number}"; shift 2 ;;
            --tunnels) tunnels="${2:?--tunnels needs a number}"; shift 2 ;;
            --only) only="${2:?--only needs a regular expression}"; shift 2 ;;
            --node-java-opts) node_java_opts="${2?--node-java-opts needs a value}"; shift 2 ;;
            --node-profile) node_profile="${2:?--node-profile needs a profile name}"; shift 2 ;;
            --profile) profile=true; shift ;;
            --manager) manager_tarball="${2:?--manager needs a file}"; shift 2 ;;
            --node) node_tarball="${2:?--node needs a file}"; shift 2 ;;
            --maven-repo) maven_repository="${2:?--maven-repo needs a folder}"; shift 2 ;;
            --output) output_dir="${2:?--output needs a folder}"; shift 2 ;;
            --keep) keep=true; shift ;;
            -h|--help) usage; exit 0 ;;
            *) usage >&2; fail "unknown option '$1'; see --help" ;;
        esac
    done

    local name value
    for name in bytes rounds messages message_bytes; do
        value="${!name}"
        [[ "${value}" =~ ^[1-9][0-9]*$ ]] || fail "invalid --${name//_/-} '${value}': expected a positive integer"
    done
    for name in idle_streams tunnels; do
        value="${!name}"
        [[ "${value}" =~ ^[0-9]+$ ]] || fail "invalid --${name//_/-} '${value}': expected 0 or a positive integer"
    done
    [[ -z "${node_profile}" || "${node_profile}" =~ ^(small|throughput)$ ]] \
        || fail "invalid --node-profile '${node_profile}': expected small or throughput"
    [[ -f "${manager_tarball}" ]] || fail "missing ${manager_tarball}; build it with: mvn -B -DskipTests install"
    [[ -f "${node_tarball}" ]] || fail "missing ${node_tarball}; build it with: mvn -B -DskipTests install"
    mkdir -p "${output_dir}"
    output_dir="$(cd "${output_dir}" && pwd)"
}

# --- prerequisites ------------------------------------------------------------------------

require_tools() {
    local missing=() tool
    for tool in stunnel4 haproxy openssl; do
        command -v "${tool}" > /dev/null 2>&1 || missing+=("${tool}")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get > /dev/null 2>&1; then
            fail "missing: ${missing[*]}. Install them with: sudo apt-get install ${APT_PACKAGES[*]}"
        fi
        log "installing ${APT_PACKAGES[*]} through apt-get (missing: ${missing[*]})"
        DEBIAN_FRONTEND=noninteractive apt-get update -q > /dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${APT_PACKAGES[@]}" > /dev/null
    fi
    for tool in java jcmd curl ss tar taskset stunnel4 haproxy openssl; do
        command -v "${tool}" > /dev/null 2>&1 || fail "${tool} is missing; install Java 17 (openjdk-17-jdk-headless), curl, iproute2, util-linux and ${APT_PACKAGES[*]}"
    done
}

# --- ports and processes ------------------------------------------------------------------

declare -a TAKEN_PORTS=()
declare -a STARTED_PIDS=()
work_dir=""

# Prints a port in [PORT_MIN, PORT_MAX] that nothing listens on and that this run has not taken.
free_port() {
    local port attempt
    for attempt in $(seq 1 500); do
        port=$((PORT_MIN + RANDOM % (PORT_MAX - PORT_MIN)))
        [[ " ${TAKEN_PORTS[*]} " != *" ${port} "* ]] || continue
        if [[ -z "$(ss -Htan "sport = :${port}")" ]]; then
            TAKEN_PORTS+=("${port}")
            echo "${port}"
            return 0
        fi
    done
    fail "no free TCP port found in ${PORT_MIN}-${PORT_MAX}"
}

# Assigns a free port to each named global variable; call in the main shell, not in $(...).
take_ports() {
    local name
    for name in "$@"; do
        free_port > "${work_dir}/port"
        printf -v "${name}" '%s' "$(cat "${work_dir}/port")"
        TAKEN_PORTS+=("${!name}")
    done
}

wait_listening() {
    local port="$1" what="$2" deadline=$((SECONDS + 30))
    until [[ -n "$(ss -Htln "sport = :${port}")" ]]; do
        (( SECONDS < deadline )) || fail "${what} did not listen on 127.0.0.1:${port} within 30 s; see ${output_dir}/logs"
        sleep 0.2
    done
}

# Prints the pid of the Karaf JVM of a home, or nothing while it does not run.
karaf_pid() {
    local home="$1" pid
    for pid in $(pgrep -f -- "-Dkaraf.home=${home}( |$)" || true); do
        if tr '\0' ' ' 2> /dev/null < "/proc/${pid}/cmdline" | grep -q 'org.apache.karaf.main.Main'; then
            echo "${pid}"
            return 0
        fi
    done
}

cleanup() {
    local status=$?
    if ${keep} && [[ ${status} -eq 0 ]]; then
        log "everything keeps running; stop it with: kill ${STARTED_PIDS[*]}; and bin/stop in each Karaf home under ${work_dir}"
        return
    fi
    local pid home
    for pid in "${STARTED_PIDS[@]}"; do
        kill "${pid}" 2> /dev/null || true
    done
    if [[ -n "${work_dir}" ]]; then
        for home in "${work_dir}"/*/weft-*; do
            [[ -x "${home}/bin/stop" ]] || continue
            (cd "${home}" && bin/stop > /dev/null 2>&1) || true
        done
        local deadline=$((SECONDS + 60))
        while pgrep -f -- "-Dkaraf.home=${work_dir}/" > /dev/null && (( SECONDS < deadline )); do
            sleep 0.5
        done
        for pid in $(pgrep -f -- "-Dkaraf.home=${work_dir}/" || true); do
            log "killing Karaf JVM ${pid}, which did not stop within 60 s"
            kill -9 "${pid}" 2> /dev/null || true
        done
    fi
    for pid in "${STARTED_PIDS[@]}"; do
        kill -9 "${pid}" 2> /dev/null || true
    done
}

# Starts a command in the background with its output in logs/NAME.log and records its pid.
start_process() {
    local name="$1"
    shift
    "$@" > "${output_dir}/logs/${name}.log" 2>&1 < /dev/null &
    STARTED_PIDS+=("$!")
    eval "${name//-/_}_pid=$!"
}

# --- certificates for the anchors ---------------------------------------------------------

# Issues an EC P-256 CA, a server and a client certificate, like Weft's node keys.
make_certificates() {
    local dir="${output_dir}/certs"
    mkdir -p "${dir}"
    (
        cd "${dir}"
        openssl ecparam -name prime256v1 -genkey -noout -out ca.key
        openssl req -x509 -new -key ca.key -sha256 -days 30 -subj "/CN=bench anchor CA" -out ca.pem \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
        local name
        for name in server client; do
            openssl ecparam -name prime256v1 -genkey -noout -out "${name}.key"
            openssl req -new -key "${name}.key" -subj "/CN=${name}.${ROOT_DOMAIN}" -out "${name}.csr"
            printf 'subjectAltName=DNS:%s.%s\nextendedKeyUsage=serverAuth,clientAuth\n' "${name}" "${ROOT_DOMAIN}" > "${name}.ext"
            openssl x509 -req -in "${name}.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -sha256 \
                -extfile "${name}.ext" -out "${name}.pem"
            cat "${name}.pem" "${name}.key" > "${name}-bundle.pem"
        done
        chmod 600 ./*.key ./*-bundle.pem
    ) > "${output_dir}/logs/openssl.log" 2>&1 || fail "generating the anchor certificates failed; see ${output_dir}/logs/openssl.log"
}

# --- services and anchors -----------------------------------------------------------------

start_services() {
    take_ports sink_port echo_port
    start_process services java -Xmx256m -Xss256k "${SCRIPT_DIR}/MeshBench.java" serve "${sink_port}" "${echo_port}"
    wait_listening "${sink_port}" "the sink service"
    wait_listening "${echo_port}" "the echo service"
    log "sink on 127.0.0.1:${sink_port}, echo on 127.0.0.1:${echo_port}"
}

# Prints one stunnel service section.
stunnel_section() {
    local name="$1" accept="$2" connect="$3" mode="$4" certs="${output_dir}/certs"
    printf '[%s]\naccept = 127.0.0.1:%s\nconnect = 127.0.0.1:%s\n' "${name}" "${accept}" "${connect}"
    case "${mode}" in
        tls-server) printf 'cert = %s/server.pem\nkey = %s/server.key\nCAfile = %s/ca.pem\nverifyChain = yes\n' \
            "${certs}" "${certs}" "${certs}" ;;
        tls-client) printf 'client = yes\ncert = %s/client.pem\nkey = %s/client.key\nCAfile = %s/ca.pem\nverifyChain = yes\ncheckHost = server.%s\n' \
            "${certs}" "${certs}" "${certs}" "${ROOT_DOMAIN}" ;;
    esac
    printf '\n'
}

stunnel_global() {
    printf 'foreground = yes\npid =\ndebug = warning\nsocket = l:TCP_NODELAY=1\nsocket = r:TCP_NODELAY=1\n\n'
}

# stunnel: client → server → service one hop; client → relay (TLS in, TLS out) → server → service.
start_stunnel() {
    take_ports st_server_sink st_server_echo st_client_sink st_client_echo \
        st_relay_in_sink st_relay_in_echo st_relay_mid_sink st_relay_mid_echo st_relay_client_sink st_relay_client_echo

    {
        stunnel_global
        stunnel_section sink "${st_server_sink}" "${sink_port}" tls-server
        stunnel_section echo "${st_server_echo}" "${echo_port}" tls-server
    } > "${work_dir}/stunnel-server.conf"
    {
        stunnel_global
        stunnel_section sink-1hop "${st_client_sink}" "${st_server_sink}" tls-client
        stunnel_section echo-1hop "${st_client_echo}" "${st_server_echo}" tls-client
        stunnel_section sink-relay "${st_relay_client_sink}" "${st_relay_in_sink}" tls-client
        stunnel_section echo-relay "${st_relay_client_echo}" "${st_relay_in_echo}" tls-client
    } > "${work_dir}/stunnel-client.conf"
    # stunnel cannot accept and connect with TLS in one service, so the relay chains a
    # TLS-terminating service and a TLS-originating one over loopback, in one process.
    {
        stunnel_global
        stunnel_section sink-in "${st_relay_in_sink}" "${st_relay_mid_sink}" tls-server
        stunnel_section echo-in "${st_relay_in_echo}" "${st_relay_mid_echo}" tls-server
        stunnel_section sink-out "${st_relay_mid_sink}" "${st_server_sink}" tls-client
        stunnel_section echo-out "${st_relay_mid_echo}" "${st_server_echo}" tls-client
    } > "${work_dir}/stunnel-relay.conf"

    local role
    for role in server client relay; do
        start_process "stunnel-${role}" stunnel4 "${work_dir}/stunnel-${role}.conf"
    done
    wait_listening "${st_server_sink}" "stunnel (server)"
    wait_listening "${st_client_echo}" "stunnel (client)"
    wait_listening "${st_relay_in_echo}" "stunnel (relay)"
    log "stunnel $(stunnel4 -version 2>&1 | awk '/^stunnel/ { print $2; exit }') started: pids ${stunnel_server_pid} (server), ${stunnel_client_pid} (client), ${stunnel_relay_pid} (relay)"
}

haproxy_global() {
    printf 'global\n    maxconn 4096\n    ssl-default-bind-options ssl-min-ver TLSv1.2\n\n'
    printf 'defaults\n    mode tcp\n    timeout connect 10s\n    timeout client 1h\n    timeout server 1h\n\n'
}

# Prints a haproxy listener from ACCEPT to CONNECT: tls-server terminates mutual TLS,
# tls-client originates it, and tls-both does both.
haproxy_listen() {
    local name="$1" accept="$2" connect="$3" mode="$4" certs="${output_dir}/certs"
    local bind_tls="" server_tls=""
    if [[ "${mode}" == tls-server || "${mode}" == tls-both ]]; then
        bind_tls=" ssl crt ${certs}/server-bundle.pem ca-file ${certs}/ca.pem verify required"
    fi
    if [[ "${mode}" == tls-client || "${mode}" == tls-both ]]; then
        server_tls=" ssl crt ${certs}/client-bundle.pem ca-file ${certs}/ca.pem verify required verifyhost server.${ROOT_DOMAIN}"
    fi
    printf 'listen %s\n    bind 127.0.0.1:%s%s\n    server upstream 127.0.0.1:%s%s\n\n' \
        "${name}" "${accept}" "${bind_tls}" "${connect}" "${server_tls}"
}

# haproxy: client → server → service one hop; client → relay (TLS in, TLS out) → server → service.
start_haproxy() {
    take_ports hp_server_sink hp_server_echo hp_client_sink hp_client_echo \
        hp_relay_sink hp_relay_echo hp_relay_client_sink hp_relay_client_echo
    {
        haproxy_global
        haproxy_listen sink "${hp_server_sink}" "${sink_port}" tls-server
        haproxy_listen echo "${hp_server_echo}" "${echo_port}" tls-server
    } > "${work_dir}/haproxy-server.cfg"
    {
        haproxy_global
        haproxy_listen sink-1hop "${hp_client_sink}" "${hp_server_sink}" tls-client
        haproxy_listen echo-1hop "${hp_client_echo}" "${hp_server_echo}" tls-client
        haproxy_listen sink-relay "${hp_relay_client_sink}" "${hp_relay_sink}" tls-client
        haproxy_listen echo-relay "${hp_relay_client_echo}" "${hp_relay_echo}" tls-client
    } > "${work_dir}/haproxy-client.cfg"
    {
        haproxy_global
        haproxy_listen sink "${hp_relay_sink}" "${hp_server_sink}" tls-both
        haproxy_listen echo "${hp_relay_echo}" "${hp_server_echo}" tls-both
    } > "${work_dir}/haproxy-relay.cfg"
    local role
    for role in server client relay; do
        haproxy -c -q -f "${work_dir}/haproxy-${role}.cfg" > "${output_dir}/logs/haproxy-${role}-check.log" 2>&1 \
            || fail "haproxy rejected ${work_dir}/haproxy-${role}.cfg; see ${output_dir}/logs/haproxy-${role}-check.log"
        start_process "haproxy-${role}" haproxy -db -f "${work_dir}/haproxy-${role}.cfg"
    done
    wait_listening "${hp_server_sink}" "haproxy (server)"
    wait_listening "${hp_client_echo}" "haproxy (client)"
    wait_listening "${hp_relay_echo}" "haproxy (relay)"
    log "haproxy $(haproxy -v 2>&1 | awk '{ print $3; exit }') started: pids ${haproxy_server_pid} (server), ${haproxy_client_pid} (client), ${haproxy_relay_pid} (relay)"
}

# --- Weft ---------------------------------------------------------------------------------

# Sets KEY = VALUE in a Karaf .cfg file, replacing the key's line or appending one.
set_cfg() {
    local file="$1" key="$2" value="$3"
    if [[ -f "${file}" ]] && grep -qE "^[[:space:]]*${key//./\\.}[[:space:]]*=" "${file}"; then
        sed -i -E "s|^[[:space:]]*${key//./\\.}[[:space:]]*=.*|${key} = ${value}|" "${file}"
    else
        printf '%s = %s\n' "${key}" "${value}" >> "${file}"
    fi
}

declare -A HOME_OF=() HTTP_PORT_OF=() PID_OF=()
readonly NODES=(gw edge-a edge-b)
declare -A DOMAIN_OF=([gw]="gw.${ROOT_DOMAIN}" [edge-a]="site-a.${ROOT_DOMAIN}" [edge-b]="site-b.${ROOT_DOMAIN}")
declare -A ROLE_OF=([gw]=gateway [edge-a]=edge [edge-b]=edge)

full_name() {
    echo "$1.${DOMAIN_OF[$1]}"
}

# Unpacks one installation and moves every listener onto a free loopback port.
unpack() {
    local name="$1" tarball="$2" ssh_port http_port
    mkdir -p "${work_dir}/${name}"
    tar -xzf "${tarball}" -C "${work_dir}/${name}"
    local homes=("${work_dir}/${name}"/weft-*)
    HOME_OF[${name}]="${homes[0]}"
    take_ports ssh_port http_port
    HTTP_PORT_OF[${name}]="${http_port}"
    local home="${HOME_OF[${name}]}"
    set_cfg "${home}/etc/org.apache.karaf.shell.cfg" sshPort "${ssh_port}"
    set_cfg "${home}/etc/org.apache.karaf.shell.cfg" sshHost 127.0.0.1
    set_cfg "${home}/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "${http_port}"
    set_cfg "${home}/etc/org.ops4j.pax.web.cfg" org.ops4j.pax.web.listening.addresses 127.0.0.1
}

start_karaf() {
    local name="$1" opts="$2" home="${HOME_OF[$1]}"
    mkdir -p "${home}/data/log"
    (
        cd "${home}"
        unset JAVA_OPTS KARAF_OPTS JAVA_MIN_MEM JAVA_MAX_MEM KARAF_DEBUG
        export EXTRA_JAVA_OPTS="${opts}"
        KARAF_REDIRECT="${home}/data/log/start.out" setsid bin/start < /dev/null > /dev/null 2>&1
    ) || fail "bin/start of ${name} failed; see ${home}/data/log/start.out"
}

wait_ready() {
    local name="$1" url="http://127.0.0.1:${HTTP_PORT_OF[$1]}/health/ready"
    local deadline=$((SECONDS + BOOT_TIMEOUT_SECONDS))
    until curl --noproxy '*' -fsS --max-time 2 -o /dev/null "${url}" 2> /dev/null; do
        (( SECONDS < deadline )) || fail "${name} was not ready within ${BOOT_TIMEOUT_SECONDS} s: see ${HOME_OF[$1]}/data/log/karaf.log"
        sleep 0.5
    done
    PID_OF[${name}]="$(karaf_pid "${HOME_OF[$1]}")"
    [[ -n "${PID_OF[${name}]}" ]] || fail "${name} is ready but its JVM was not found"
}

API_STATUS=""
API_BODY=""
api() {
    local method="$1" path="$2" body="${3:-}" home="${HOME_OF[manager]}" response
    local args=(--noproxy '*' -sS --max-time 30 --cacert "${home}/data/weft/ca/root-ca.pem"
        -u "admin:$(tr -d '\n' < "${home}/etc/weft-api-admin.password")" -X "${method}"
        -w '\n%{http_code}' -H 'Accept: application/json')
    if [[ -n "${body}" ]]; then
        args+=(-H 'Content-Type: application/json' --data-binary "${body}")
    fi
    response="$(curl "${args[@]}" "${api_url}${path}")" || fail "${method} ${api_url}${path} failed"
    API_STATUS="${response##*$'\n'}"
    API_BODY="${response%$'\n'*}"
}

api_expect() {
    local accepted="$1"
    shift
    api "$@"
    [[ " ${accepted} " == *" ${API_STATUS} "* ]] || fail "$1 ${api_url}$2 returned HTTP ${API_STATUS}: ${API_BODY}"
}

json_field() {
    sed -n -E "s/.*\"$2\"[[:space:]]*:[[:space:]]*\"?([^\",}]*)\"?.*/\1/p" <<< "$1" | head -n 1
}

start_manager() {
    local home="${HOME_OF[manager]}" https_port control_port
    take_ports https_port control_port
    set_cfg "${home}/etc/io.weft.manager.pki.cfg" httpsPort "${https_port}"
    set_cfg "${home}/etc/io.weft.manager.pki.cfg" enrollmentUrl "https://127.0.0.1:${https_port}/api/v1/enroll"
    set_cfg "${home}/etc/io.weft.manager.pki.cfg" controlAddress "127.0.0.1:${control_port}"
    set_cfg "${home}/etc/io.weft.manager.control.cfg" port "${control_port}"
    api_url="https://127.0.0.1:${https_port}/api/v1"
    start_karaf manager "-Xmx512m"
    wait_ready manager
    local deadline=$((SECONDS + 30))
    until [[ -s "${home}/etc/weft-api-admin.password" ]]; do
        (( SECONDS < deadline )) || fail "the manager did not write etc/weft-api-admin.password; see ${home}/data/log/karaf.log"
        sleep 0.2
    done
    log "manager ready (pid ${PID_OF[manager]}, REST API ${api_url})"
}

service_pid_entry() {
    printf '"io.weft.mesh.service~%s": {"name": {"type": "string", "value": "%s"},
        "host": {"type": "string", "value": "127.0.0.1"}, "port": {"type": "long", "value": %s}}' "$1" "$1" "$2"
}

connector_pid_entry() {
    local name="$1" port="$2" service="$3" node="$4" service_port="$5"
    printf '"io.weft.mesh.connector~%s": {"name": {"type": "string", "value": "%s"},
        "listenAddress": {"type": "string", "value": "127.0.0.1"}, "listenPort": {"type": "long", "value": %s},
        "service": {"type": "string", "value": "%s"}, "node": {"type": "string", "value": "%s"},
        "servicePort": {"type": "long", "value": %s}}' "${name}" "${name}" "${port}" "${service}" "${node}" "${service_port}"
}

# Creates the domains, nodes, profiles and policy rules of the topology.
configure_fleet() {
    local domain name
    for domain in "${ROOT_DOMAIN}" "${DOMAIN_OF[gw]}" "${DOMAIN_OF[edge-a]}" "${DOMAIN_OF[edge-b]}"; do
        api_expect 201 POST /domains "{\"name\": \"${domain}\"}"
    done
    for name in "${NODES[@]}"; do
        api_expect 201 POST /nodes "{\"name\": \"${name}\", \"domain\": \"${DOMAIN_OF[${name}]}\", \"role\": \"${ROLE_OF[${name}]}\"}"
    done
    local gw edge_b
    gw="$(full_name gw)"
    edge_b="$(full_name edge-b)"
    take_ports mesh_port weft_sink_1hop weft_echo_1hop weft_sink_relay weft_echo_relay

    api_expect 201 PUT "/domains/${ROOT_DOMAIN}/profile" "{\"pids\": {\"io.weft.mesh\": {
        \"gateways\": {\"type\": \"string[]\", \"value\": [\"${gw}@127.0.0.1:${mesh_port}\"]}}}}"
    api_expect 201 PUT "/nodes/${gw}/profile" "{\"pids\": {\"io.weft.mesh\": {
        \"listenAddress\": {\"type\": \"string\", \"value\": \"127.0.0.1\"},
        \"listenPort\": {\"type\": \"long\", \"value\": ${mesh_port}}, \"gateways\": {\"remove\": true}},
        $(service_pid_entry sink "${sink_port}"), $(service_pid_entry echo "${echo_port}")}}"
    api_expect 201 PUT "/nodes/${edge_b}/profile" "{\"pids\": {
        $(service_pid_entry sink "${sink_port}"), $(service_pid_entry echo "${echo_port}")}}"
    api_expect 201 PUT "/nodes/$(full_name edge-a)/profile" "{\"pids\": {
        $(connector_pid_entry sink-1hop "${weft_sink_1hop}" sink "${gw}" "${sink_port}"),
        $(connector_pid_entry echo-1hop "${weft_echo_1hop}" echo "${gw}" "${echo_port}"),
        $(connector_pid_entry sink-relay "${weft_sink_relay}" sink "${edge_b}" "${sink_port}"),
        $(connector_pid_entry echo-relay "${weft_echo_relay}" echo "${edge_b}" "${echo_port}")}}"

    local service
    for service in sink echo; do
        api_expect 201 POST /policies/rules "{\"id\": \"bench-${service}\", \"domain\": \"${ROOT_DOMAIN}\",
            \"source\": \"node:$(full_name edge-a)\",
            \"destination\": {\"service\": \"${service}\", \"nodes\": {\"anyOf\": [\"node:${gw}\", \"node:${edge_b}\"]}},
            \"action\": \"allow\", \"description\": \"edge-a reaches the benchmark's ${service} service on gw and edge-b\"}"
    done
}

enroll_and_start_nodes() {
    local name home
    for name in "${NODES[@]}"; do
        home="${HOME_OF[${name}]}"
        api_expect 201 POST "/nodes/$(full_name "${name}")/enrollment-tokens" '{"expiresInSeconds": 3600}'
        (umask 077 && json_field "${API_BODY}" token > "${home}/etc/weft-enroll.token")
        if [[ -n "${node_profile}" ]]; then
            set_cfg "${home}/etc/weft-jvm.properties" profile "${node_profile}"
        fi
        start_karaf "${name}" "${node_java_opts}"
    done
    for name in "${NODES[@]}"; do
        wait_ready "${name}"
        log "${name} ready (pid ${PID_OF[${name}]})"
    done
}

# Sends one line through a connector and returns 0 when the echo service's copy comes back.
probe() {
    local port="$1" reply=""
    { exec {connection}<> "/dev/tcp/127.0.0.1/${port}"; } 2> /dev/null || return 1
    printf 'probe\n' >&"${connection}" 2> /dev/null || true
    IFS= read -r -t 5 reply <&"${connection}" 2> /dev/null || true
    exec {connection}>&-
    [[ "${reply}" == probe ]]
}

wait_mesh() {
    local port deadline=$((SECONDS + MESH_TIMEOUT_SECONDS))
    for port in "${weft_echo_1hop}" "${weft_echo_relay}"; do
        until probe "${port}"; do
            (( SECONDS < deadline )) || fail "no echo came back through the connector 127.0.0.1:${port} within ${MESH_TIMEOUT_SECONDS} s; see ${HOME_OF[edge-a]}/data/log/karaf.log"
            sleep 1
        done
    done
    log "the Weft connectors on edge-a reach the echo service on gw and, through gw, on edge-b"
}

start_weft() {
    unpack manager "${manager_tarball}"
    local name port
    for name in "${NODES[@]}"; do
        unpack "${name}" "${node_tarball}"
        # The Edge API would take its default port 8543 on every node, so a local configuration
        # moves it. The node's agent leaves alone a configuration that it did not create.
        take_ports port
        set_cfg "${HOME_OF[${name}]}/etc/io.weft.node.edge.cfg" port "${port}"
    done
    start_manager
    configure_fleet
    enroll_and_start_nodes
    wait_mesh
}

# --- measurements -------------------------------------------------------------------------

write_paths() {
    local file="${work_dir}/paths.tsv" weft_nodes="edge-a=${PID_OF[edge-a]},gw=${PID_OF[gw]}"
    {
        printf 'direct\t127.0.0.1:%s\t127.0.0.1:%s\tservice=%s\n' "${sink_port}" "${echo_port}" "${services_pid}"
        printf 'stunnel-1hop\t127.0.0.1:%s\t127.0.0.1:%s\tclient-proxy=%s,server-proxy=%s,service=%s\n' \
            "${st_client_sink}" "${st_client_echo}" "${stunnel_client_pid}" "${stunnel_server_pid}" "${services_pid}"
        printf 'haproxy-1hop\t127.0.0.1:%s\t127.0.0.1:%s\tclient-proxy=%s,server-proxy=%s,service=%s\n' \
            "${hp_client_sink}" "${hp_client_echo}" "${haproxy_client_pid}" "${haproxy_server_pid}" "${services_pid}"
        printf 'weft-1hop\t127.0.0.1:%s\t127.0.0.1:%s\t%s,service=%s\n' \
            "${weft_sink_1hop}" "${weft_echo_1hop}" "${weft_nodes}" "${services_pid}"
        printf 'stunnel-relay\t127.0.0.1:%s\t127.0.0.1:%s\tclient-proxy=%s,relay=%s,server-proxy=%s,service=%s\n' \
            "${st_relay_client_sink}" "${st_relay_client_echo}" "${stunnel_client_pid}" "${stunnel_relay_pid}" \
            "${stunnel_server_pid}" "${services_pid}"
        printf 'haproxy-relay\t127.0.0.1:%s\t127.0.0.1:%s\tclient-proxy=%s,relay=%s,server-proxy=%s,service=%s\n' \
            "${hp_relay_client_sink}" "${hp_relay_client_echo}" "${haproxy_client_pid}" "${haproxy_relay_pid}" \
            "${haproxy_server_pid}" "${services_pid}"
        printf 'weft-relay\t127.0.0.1:%s\t127.0.0.1:%s\t%s,edge-b=%s,service=%s\n' \
            "${weft_sink_relay}" "${weft_echo_relay}" "${weft_nodes}" "${PID_OF[edge-b]}" "${services_pid}"
    } | if [[ -n "${only}" ]]; then grep -E "^[^	]*(${only})[^	]*	" || true; else cat; fi > "${file}"
    [[ -s "${file}" ]] || fail "--only '${only}' matches no path; the paths are direct, stunnel-1hop, haproxy-1hop, weft-1hop, stunnel-relay, haproxy-relay and weft-relay"
    echo "${file}"
}

start_profiles() {
    ${profile} || return 0
    local name
    for name in "${NODES[@]}"; do
        jcmd "${PID_OF[${name}]}" JFR.start name=bench settings=profile > /dev/null \
            || fail "jcmd JFR.start on ${name} failed"
    done
}

stop_profiles() {
    ${profile} || return 0
    local name
    for name in "${NODES[@]}"; do
        jcmd "${PID_OF[${name}]}" JFR.stop name=bench filename="${output_dir}/profile-${name}.jfr" > /dev/null \
            || log "jcmd JFR.stop on ${name} failed"
        log "JFR recording of ${name} in ${output_dir}/profile-${name}.jfr"
    done
}

measure_idle_streams() {
    [[ "${idle_streams}" -gt 0 ]] || return 0
    log "idle streams: ${idle_streams} connections through the one-hop connector"
    java -Xmx256m "${SCRIPT_DIR}/MeshBench.java" idle "127.0.0.1:${weft_echo_1hop}" "${idle_streams}" \
        "edge-a=${PID_OF[edge-a]}" "gw=${PID_OF[gw]}" | sed 's/^idle_stream\./idle_stream.1hop./'
    log "idle streams: ${idle_streams} connections through the relayed connector"
    java -Xmx256m "${SCRIPT_DIR}/MeshBench.java" idle "127.0.0.1:${weft_echo_relay}" "${idle_streams}" \
        "edge-a=${PID_OF[edge-a]}" "gw=${PID_OF[gw]}" "edge-b=${PID_OF[edge-b]}" | sed 's/^idle_stream\./idle_stream.relay./'
}

# Prints the class path of TunnelMemory.java: the mesh library and what it needs, from the
# local Maven repository.
tunnel_class_path() {
    local bc
    bc="$(sed -n 's:.*<bouncycastle.version>\(.*\)</bouncycastle.version>.*:\1:p' "${REPO_ROOT}/pom.xml")"
    [[ -n "${bc}" ]] || fail "no <bouncycastle.version> in ${REPO_ROOT}/pom.xml"
    local jars=(
        "io/weft/io.weft.mesh/${WEFT_VERSION}/io.weft.mesh-${WEFT_VERSION}.jar"
        "io/weft/io.weft.control/${WEFT_VERSION}/io.weft.control-${WEFT_VERSION}.jar"
        "io/weft/io.weft.pki/${WEFT_VERSION}/io.weft.pki-${WEFT_VERSION}.jar"
        "org/apache/mina/mina-core/2.2.10/mina-core-2.2.10.jar"
        "org/slf4j/slf4j-api/1.7.36/slf4j-api-1.7.36.jar"
        "org/slf4j/slf4j-simple/1.7.36/slf4j-simple-1.7.36.jar"
        "org/bouncycastle/bcprov-jdk18on/${bc}/bcprov-jdk18on-${bc}.jar"
        "org/bouncycastle/bcutil-jdk18on/${bc}/bcutil-jdk18on-${bc}.jar"
        "org/bouncycastle/bcpkix-jdk18on/${bc}/bcpkix-jdk18on-${bc}.jar"
        "org/bouncycastle/bctls-jdk18on/${bc}/bctls-jdk18on-${bc}.jar"
    )
    local class_path="" jar
    for jar in "${jars[@]}"; do
        [[ -s "${maven_repository}/${jar}" ]] \
            || fail "missing ${maven_repository}/${jar}; build the mesh bundle with mvn -B -DskipTests install, or pass --maven-repo"
        class_path="${class_path:+${class_path}:}${maven_repository}/${jar}"
    done
    echo "${class_path}"
}

measure_idle_tunnels() {
    [[ "${tunnels}" -gt 0 ]] || return 0
    local class_path
    class_path="$(tunnel_class_path)"
    log "idle tunnels: ${tunnels} tunnels between two JVMs of the mesh library"
    # -XX:SoftRefLRUPolicyMSPerMB=0 makes every full GC clear soft references, such as the
    # entries of the JDK's TLS session caches, which other GCs clear at varying times.
    java -Xmx256m -XX:+UseSerialGC -XX:SoftRefLRUPolicyMSPerMB=0 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -cp "${class_path}" \
        "${SCRIPT_DIR}/TunnelMemory.java" "${tunnels}" "${work_dir}/tunnels" "${SCRIPT_DIR}/TunnelMemory.java" \
        2> "${output_dir}/logs/tunnel-memory.log" || fail "the tunnel measurement failed; see ${output_dir}/logs/tunnel-memory.log"
}

main() {
    parse_args "$@"
    require_tools
    rm -rf "${output_dir}/work" "${output_dir}/logs" "${output_dir}/certs"
    work_dir="${output_dir}/work"
    mkdir -p "${work_dir}" "${output_dir}/logs"
    trap cleanup EXIT
    trap 'exit 130' INT TERM

    make_certificates
    start_services
    start_stunnel
    start_haproxy
    start_weft

    local paths results="${output_dir}/results.tsv"
    paths="$(write_paths)"
    log "measuring $(wc -l < "${paths}") paths: ${rounds} rounds of $((bytes / 1024 / 1024)) MiB and ${messages} round trips of ${message_bytes} bytes each"
    start_profiles
    {
        printf 'machine.nproc\t%s\n' "$(nproc)"
        printf 'machine.cpu\t%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
        printf 'machine.loadavg_before\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
        printf 'java.version\t%s\n' "$(java -version 2>&1 | head -n 1)"
        printf 'weft.node_jvm_profile\t%s\n' "${node_profile:-(the distribution default)}"
        printf 'weft.node_java_opts\t%s\n' "${node_java_opts:-(none)}"
        printf 'stunnel.version\t%s\n' "$(stunnel4 -version 2>&1 | awk '/^stunnel/ { print $2; exit }')"
        printf 'haproxy.version\t%s\n' "$(haproxy -v 2>&1 | awk '{ print $3; exit }')"
        java -Xmx512m "${SCRIPT_DIR}/MeshBench.java" run "${paths}" "${bytes}" "${rounds}" "${messages}" \
            "${message_bytes}" "$(getconf CLK_TCK)"
        printf 'machine.loadavg_after_rounds\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    } | tee "${results}"
    stop_profiles
    measure_idle_streams | tee -a "${results}"
    measure_idle_tunnels | tee -a "${results}"
    printf 'machine.loadavg_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "${results}"
    log "figures in ${results}"
}

main "$@"
