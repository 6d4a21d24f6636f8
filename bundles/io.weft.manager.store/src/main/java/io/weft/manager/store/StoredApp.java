package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One uploaded version of an edge app bundle. Versions are immutable: the store inserts and
 * deletes them, never updates them.
 *
 * @param name       the bundle's symbolic name
 * @param version    the bundle's version as the manifest declares it
 * @param sha256     SHA-256 of the bundle as 64 lower-case hex digits
 * @param sizeBytes  size of the bundle in bytes
 * @param signature  the repository's detached CMS signature of the bundle, Base64-encoded DER
 * @param uploadedBy name of the operator or API token that uploaded it
 * @param uploadedAt time of the upload
 */
public record StoredApp(String name, String version, String sha256, long sizeBytes, String signature,
        String uploadedBy, Instant uploadedAt) {

    public StoredApp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(uploadedBy, "uploadedBy");
        Objects.requireNonNull(uploadedAt, "uploadedAt");
    }
}
