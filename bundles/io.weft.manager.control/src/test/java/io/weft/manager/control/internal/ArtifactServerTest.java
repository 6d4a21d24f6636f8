package io.weft.manager.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.control.ArtifactChunk;
import io.weft.control.ArtifactRequest;
import io.weft.control.ControlMessage;
import io.weft.control.ControlSession;
import io.weft.control.ErrorMessage;
import io.weft.control.state.AppDeployment;
import io.weft.manager.apps.api.AppDeployments;
import io.weft.manager.store.Node;

class ArtifactServerTest {

    private static final String NODE = "node-1";

    @TempDir
    Path folder;

    private byte[] bundle;
    private String sha256;
    private ArtifactServer server;
    private final RecordingSession session = new RecordingSession();

    @BeforeEach
    void storeBundle() throws Exception {
        bundle = new byte[ArtifactRequest.MAX_CHUNK_BYTES + 1000];
        Arrays.fill(bundle, (byte) 7);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
        Path file = Files.write(folder.resolve(sha256 + ".jar"), bundle);
        server = new ArtifactServer(new OneArtifact(sha256, file));
    }

    @Test
    void namedArtifactIsServedRangeByRange() {
        server.allow(NODE, List.of(deployment(sha256, bundle.length)));

        server.serve(NODE, session, new ArtifactRequest(sha256, 0, ArtifactRequest.MAX_CHUNK_BYTES));
        server.serve(NODE, session, new ArtifactRequest(sha256, ArtifactRequest.MAX_CHUNK_BYTES,
                ArtifactRequest.MAX_CHUNK_BYTES));

        ArtifactChunk first = (ArtifactChunk) session.sent.get(0);
        ArtifactChunk last = (ArtifactChunk) session.sent.get(1);
        assertThat(first.data()).hasSize(ArtifactRequest.MAX_CHUNK_BYTES);
        assertThat(first.totalSize()).isEqualTo(bundle.length);
        assertThat(last.offset()).isEqualTo(ArtifactRequest.MAX_CHUNK_BYTES);
        assertThat(last.data()).hasSize(1000);
    }

    @Test
    void artifactOfAnotherNodeIsRefused() {
        server.allow("node-2", List.of(deployment(sha256, bundle.length)));

        server.serve(NODE, session, new ArtifactRequest(sha256, 0, 100));

        ErrorMessage error = (ErrorMessage) session.sent.get(0);
        assertThat(error.code()).isEqualTo(ArtifactRequest.NOT_AVAILABLE);
        assertThat(error.message()).contains(sha256).contains("names no app with this SHA-256");
    }

    @Test
    void sizeMismatchIsRefused() {
        server.allow(NODE, List.of(deployment(sha256, bundle.length + 1)));

        server.serve(NODE, session, new ArtifactRequest(sha256, 0, 100));

        assertThat(((ErrorMessage) session.sent.get(0)).message()).contains("the desired state names "
                + (bundle.length + 1));
    }

    @Test
    void forgottenNodeIsRefused() {
        server.allow(NODE, List.of(deployment(sha256, bundle.length)));
        server.forget(NODE);

        server.serve(NODE, session, new ArtifactRequest(sha256, 0, 100));

        assertThat(session.sent.get(0)).isInstanceOf(ErrorMessage.class);
    }

    private static AppDeployment deployment(String sha256, long size) {
        return new AppDeployment("d1", "org.example.app", "1.0.0", sha256, size, "MIIB");
    }

    /** A repository with one bundle file. */
    private record OneArtifact(String sha256, Path file) implements AppDeployments {

        @Override
        public Run start(List<Node> nodes) {
            return node -> List.of();
        }

        @Override
        public Optional<Path> artifact(String requested) {
            return requested.equals(sha256) ? Optional.of(file) : Optional.empty();
        }

        @Override
        public void nodeReported(String nodeId, String reportJson) {
        }
    }

    /** A session that records what the server sends. */
    private static final class RecordingSession implements ControlSession {

        final List<ControlMessage> sent = new ArrayList<>();

        @Override
        public long id() {
            return 1;
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public X509Certificate peerCertificate() {
            return null;
        }

        @Override
        public List<X509Certificate> peerCertificateChain() {
            return List.of();
        }

        @Override
        public CompletionStage<Void> send(ControlMessage message) {
            sent.add(message);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
