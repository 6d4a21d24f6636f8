package io.weft.systemtest.harness;

/**
 * How a stop ended.
 *
 * @param graceful true when every process exited after {@code bin/stop} within the timeout,
 *        false when the harness had to destroy them
 * @param exitCode exit code of the {@code bin/karaf server} process
 * @param stopScriptExitCode exit code of {@code bin/stop}, or -1 when it did not finish in time
 *        or was not run because the process had already exited
 */
public record StopResult(boolean graceful, int exitCode, int stopScriptExitCode) {
}
