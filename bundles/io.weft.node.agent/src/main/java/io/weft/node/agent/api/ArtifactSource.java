package io.weft.node.agent.api;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Downloads artifacts that the applied desired state names, such as app bundles, from the
 * manager over the node's control connection, one range at a time. The manager sends only
 * artifacts that the node's current desired state names.
 */
@ProviderType
public interface ArtifactSource {

    /**
     * Downloads the artifact into {@code target}, replacing it. The caller verifies the content:
     * this method only checks the size.
     *
     * @param sha256 the artifact's SHA-256 as 64 lower-case hex digits
     * @param size   the artifact's size in bytes, as the desired state names it
     * @return a future that completes when the file is complete, or exceptionally with the
     *     reason: not connected, refused by the manager, a size mismatch, a timeout or a write error
     */
    CompletableFuture<Path> download(String sha256, long size, Path target);
}
