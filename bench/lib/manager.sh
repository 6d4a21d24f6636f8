#!/usr/bin/env bash
#
# Functions that the run.sh scripts of bench/control-plane, bench/apps/fleet and
# bench/manager share: logging, free loopback ports, the manager's configuration, start
# and stop, and the clean-up of every process that a run started. Each script sources this
# file and defines the variables that the functions read (PORT_MIN, PORT_MAX, SPARE_FILES,
# STOP_TIMEOUT_SECONDS, WORK_DIR_NAME, work_dir, manager_home and the others named in each
# function). bench/manager/run.sh starts its manager with a start_manager of its own.

log() {
    printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

fail() {
    log "ERROR: $*"
    exit 1
}

# Raises the soft limit of open files to what NODES sockets need, within the hard limit.
# The manager that bin/start launches inherits the limit.
raise_file_limit() {
    local needed=$((max_nodes + SPARE_FILES)) hard
    hard="$(ulimit -Hn)"
    if [[ "${hard}" != unlimited ]] && (( hard < needed )); then
        fail "${max_nodes} nodes need about ${needed} open files per JVM, but the hard limit (ulimit -Hn) is ${hard}"
    fi
    if [[ "$(ulimit -n)" != unlimited ]] && (( $(ulimit -n) < needed )); then
        ulimit -n "${needed}"
    fi
    log "open files limit: $(ulimit -n) (hard limit ${hard})"
}

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

    if [[ -n "${generator_pid:-}" ]] && kill -0 "${generator_pid}" 2>/dev/null; then
        kill -TERM "${generator_pid}" 2>/dev/null || true
        wait "${generator_pid}" 2>/dev/null || true
    fi

    if [[ -n "${home:-}" && -x "${home}/bin/stop" && -n "$(processes_in_work_dir)" ]]; then
        run_karaf_script stop || log "bin/stop returned an error"
        local waited=0
        while [[ -n "$(processes_in_work_dir)" && ${waited} -lt $((STOP_TIMEOUT_SECONDS * 2)) ]]; do
            sleep 0.5
            waited=$((waited + 1))
        done
    fi

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

    if [[ -n "${home:-}" && -f "${home}/data/log/karaf.log" ]]; then
        cp "${home}/data/log/karaf.log" "${output_dir}/karaf.log" 2>/dev/null || true
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

# Runs a bin/ script of the copy in a clean JVM environment: only EXTRA_JAVA_OPTS, if given.
run_karaf_script() {
    local script="$1"
    (
        cd "${home}"
        unset JAVA_OPTS EXTRA_JAVA_OPTS KARAF_OPTS KARAF_SYSTEM_OPTS JAVA_MIN_MEM JAVA_MAX_MEM \
            JAVA_PERM_MEM JAVA_MAX_PERM_MEM KARAF_DEBUG KARAF_REDIRECT
        if [[ -n "${manager_opts}" ]]; then
            export EXTRA_JAVA_OPTS="${manager_opts}"
        fi
        "bin/${script}"
    ) > /dev/null 2>&1
}

http_status() {
    curl --noproxy '*' -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
}

# Prints the id of the Karaf JVM of the copy, or nothing while it does not run.
karaf_pid() {
    local pid
    for pid in $(processes_in_work_dir); do
        if tr '\0' ' ' 2>/dev/null < "/proc/${pid}/cmdline" | grep -q 'org.apache.karaf.main.Main'; then
            echo "${pid}"
            return 0
        fi
    done
}

# Fails unless every TCP listener of the process binds a loopback address.
check_loopback_only() {
    local pid="$1" address
    while read -r address; do
        case "${address%:*}" in
            127.*|'[::1]'|'[::ffff:127.'*) ;;
            *) fail "the manager JVM listens on ${address}, which is not a loopback address" ;;
        esac
    done < <(ss -Htlnp | awk -v pid="pid=${pid}," 'index($0, pid) { print $4 }')
}

# Issues an API token with the first admin's password, so that the load uses Bearer
# authentication instead of one Argon2id hash per request.
issue_token() {
    local password_file="${home}/etc/weft-api-admin.password" expires response
    [[ -s "${password_file}" ]] || fail "the manager did not write ${password_file}"
    expires="$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)"
    response="$(curl --noproxy '*' -sS --fail-with-body --max-time 30 --cacert "${WEFT_CA_FILE}" \
        -u "admin:$(tr -d '\n' < "${password_file}")" \
        -H 'Content-Type: application/json' -H 'Accept: application/json' \
        -d "{\"expiresAt\": \"${expires}\"}" "${api_url}/tokens")" \
        || fail "POST /api/v1/tokens failed: ${response}"
    token_file="${work_dir}/token"
    (umask 077 && sed -E 's/.*"token" *: *"([^"]+)".*/\1/' <<< "${response}" > "${token_file}")
    grep -qE '^weft_[^ ]+$' "${token_file}" || fail "POST /api/v1/tokens returned no token"
}

# Unpacks the manager into a new temporary folder named after WORK_DIR_NAME, sets its ports and
# configuration, starts it and waits until it is ready.
start_manager() {
    work_dir="$(mktemp -d "${TMPDIR:-/tmp}/${WORK_DIR_NAME}.XXXXXX")"
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
        local rmi_registry_port
        rmi_registry_port="$(free_port "${ssh_port}" "${http_port}" "${https_port}" "${control_port}")"
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiRegistryPort "${rmi_registry_port}"
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiRegistryHost 127.0.0.1
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiServerPort \
            "$(free_port "${ssh_port}" "${http_port}" "${https_port}" "${control_port}" "${rmi_registry_port}")"
        set_cfg "${home}/etc/org.apache.karaf.management.cfg" rmiServerHost 127.0.0.1
    fi
    base_url="http://127.0.0.1:${http_port}"
    api_url="https://127.0.0.1:${https_port}/api/v1"

    log "starting the manager in ${home} (HTTP ${http_port}, HTTPS ${https_port}, control ${control_port}, SSH ${ssh_port})"
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
