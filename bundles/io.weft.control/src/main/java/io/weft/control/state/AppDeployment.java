package io.weft.control.state;

import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One app that a node must run, as its desired state names it: the bundle's symbolic name and
 * version, and what the node needs to download and verify it.
 *
 * @param deploymentId the id of the deployment that targets the node
 * @param app          the bundle's symbolic name
 * @param version      the bundle's version, in OSGi form such as {@code 1.2.0}
 * @param sha256       the bundle's SHA-256 as 64 lower-case hex digits
 * @param size         the bundle's size in bytes
 * @param signature    the detached CMS signature of the bundle, Base64-encoded DER
 */
public record AppDeployment(String deploymentId, String app, String version, String sha256, long size,
        String signature) {

    /** Largest bundle, in bytes, that a deployment may name. */
    public static final long MAX_SIZE = 256L * 1024 * 1024;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");

    public AppDeployment {
        requireText(deploymentId, "deploymentId");
        requireText(app, "app");
        requireText(version, "version");
        requireText(signature, "signature");
        if (!NAME.matcher(deploymentId).matches()) {
            throw new InvalidDesiredStateException("deployments.deploymentId", "invalid id '" + deploymentId + "'");
        }
        if (!NAME.matcher(app).matches() || !NAME.matcher(version).matches()) {
            throw new InvalidDesiredStateException("deployments.app", "invalid app '" + app + "' version '" + version
                    + "': expected letters, digits, dots, hyphens and underscores");
        }
        if (!SHA256.matcher(Objects.requireNonNull(sha256, "sha256")).matches()) {
            throw new InvalidDesiredStateException("deployments.sha256", "invalid digest '" + sha256
                    + "': expected 64 lower-case hex digits");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidDesiredStateException("deployments.size", "invalid size " + size + ": expected 1 to "
                    + MAX_SIZE + " bytes");
        }
        try {
            Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new InvalidDesiredStateException("deployments.signature", "not valid Base64: " + e.getMessage());
        }
    }

    /** Returns the signature's DER bytes. */
    public byte[] signatureBytes() {
        return Base64.getDecoder().decode(signature);
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new InvalidDesiredStateException("deployments." + field, "expected a non-empty string");
        }
    }
}
