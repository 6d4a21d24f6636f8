package io.weft.node.apps.internal;

/**
 * The node's report about one app: the deployment that named it, the version that the report
 * is about, its state and the reason of a failure.
 *
 * @param runningVersion the version that runs now, null when none runs
 * @param updatedAt      time of the last change as an ISO-8601 instant
 */
public record AppStatus(String app, String deploymentId, String version, String state, String error,
        String runningVersion, String updatedAt) {

    public static final String PENDING = "pending";
    public static final String DOWNLOADING = "downloading";
    public static final String INSTALLED = "installed";
    public static final String FAILED = "failed";
    public static final String ROLLED_BACK = "rolled-back";
}
