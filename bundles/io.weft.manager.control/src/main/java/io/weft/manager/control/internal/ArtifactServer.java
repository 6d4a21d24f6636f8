package io.weft.manager.control.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.control.ArtifactChunk;
import io.weft.control.ArtifactRequest;
import io.weft.control.ControlSession;
import io.weft.control.ErrorMessage;
import io.weft.control.state.AppDeployment;
import io.weft.manager.apps.api.AppDeployments;

/**
 * Serves app bundles to nodes over their control sessions, one requested range at a time. A
 * node may download only the bundles that its latest compiled desired state names; any other
 * request gets an ERROR with code {@value ArtifactRequest#NOT_AVAILABLE} that names the digest,
 * and the session stays open.
 */
final class ArtifactServer {

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactServer.class);

    private final AppDeployments apps;
    private final Map<String, Map<String, AppDeployment>> allowed = new ConcurrentHashMap<>();

    ArtifactServer(AppDeployments apps) {
        this.apps = Objects.requireNonNull(apps, "apps");
    }

    /** Records the bundles that a node's new desired state names. */
    void allow(String nodeId, List<AppDeployment> deployments) {
        allowed.put(nodeId, deployments.stream()
                .collect(Collectors.toUnmodifiableMap(AppDeployment::sha256, Function.identity(), (a, b) -> a)));
    }

    void forget(String nodeId) {
        allowed.remove(nodeId);
    }

    /** Sends the reply to one request on the node's session: a chunk or an ERROR. */
    void serve(String nodeId, ControlSession session, ArtifactRequest request) {
        AppDeployment named = allowed.getOrDefault(nodeId, Map.of()).get(request.sha256());
        if (named == null) {
            reject(nodeId, session, request, "the desired state of node " + nodeId + " names no app with this"
                    + " SHA-256, so the manager does not send it");
            return;
        }
        Optional<Path> file = apps.artifact(request.sha256());
        if (file.isEmpty()) {
            reject(nodeId, session, request, "the app repository has no file for app " + named.app() + " "
                    + named.version());
            return;
        }
        try {
            session.send(read(file.get(), named, request));
        } catch (IOException | IllegalArgumentException e) {
            reject(nodeId, session, request, "reading app " + named.app() + " " + named.version() + " failed: "
                    + e.getMessage());
        }
    }

    private static ArtifactChunk read(Path file, AppDeployment named, ArtifactRequest request) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size != named.size()) {
                throw new IOException("the file has " + size + " bytes, but the desired state names " + named.size());
            }
            if (request.offset() > size) {
                throw new IllegalArgumentException("offset " + request.offset() + " is past the end at " + size);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(request.length(), size - request.offset()));
            while (buffer.hasRemaining() && channel.read(buffer, request.offset() + buffer.position()) >= 0) {
                // Reads until the range is complete; the file does not shrink because bundles are immutable.
            }
            return new ArtifactChunk(request.sha256(), request.offset(), size, buffer.array());
        }
    }

    private static void reject(String nodeId, ControlSession session, ArtifactRequest request, String reason) {
        LOG.warn("Control: rejected the request of node '{}' for artifact {}: {}", nodeId, request.sha256(), reason);
        session.send(new ErrorMessage(ArtifactRequest.NOT_AVAILABLE, "Artifact " + request.sha256() + ": " + reason
                + "."));
    }
}
