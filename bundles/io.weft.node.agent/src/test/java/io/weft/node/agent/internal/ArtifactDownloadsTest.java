package io.weft.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.control.ArtifactChunk;
import io.weft.control.ArtifactRequest;
import io.weft.control.ControlMessage;
import io.weft.control.ControlSession;
import io.weft.control.ErrorMessage;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactDownloadsTest {

    private static final String SHA256 = "ab".repeat(32);

    @TempDir
    Path folder;

    private final ScheduledExecutorService agentThread = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        agentThread.shutdownNow();
    }

    @Test
    void downloadAsksForEachRangeInTurn() throws Exception {
        byte[] artifact = new byte[ArtifactRequest.MAX_CHUNK_BYTES * 2 + 10];
        Arrays.fill(artifact, (byte) 3);
        ArtifactDownloads downloads = downloads(request -> chunk(artifact, request));

        Path file = downloads.start(SHA256, artifact.length, folder.resolve("app.jar")).get(10, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(file)).isEqualTo(artifact);
        assertThat(folder.resolve("app.jar.part")).doesNotExist();
    }

    @Test
    void refusalFailsDownload() {
        ArtifactDownloads downloads = downloads(request -> new ErrorMessage(ArtifactRequest.NOT_AVAILABLE,
                "Artifact " + SHA256 + ": not named"));

        assertThatThrownBy(() -> downloads.start(SHA256, 100, folder.resolve("app.jar")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("the manager refused it: Artifact " + SHA256 + ": not named");
        assertThat(folder.resolve("app.jar.part")).doesNotExist();
    }

    @Test
    void wrongSizeFailsDownload() {
        ArtifactDownloads downloads = downloads(request -> new ArtifactChunk(SHA256, 0, 50, new byte[50]));

        assertThatThrownBy(() -> downloads.start(SHA256, 100, folder.resolve("app.jar")).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("the manager sends 50 bytes, but the desired state names 100");
    }

    @Test
    void disconnectedNodeFailsAtOnce() {
        ArtifactDownloads downloads = new ArtifactDownloads(agentThread, Optional::empty);

        assertThatThrownBy(() -> downloads.start(SHA256, 100, folder.resolve("app.jar")).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("not connected to the manager");
    }

    private ArtifactDownloads downloads(Function<ArtifactRequest, ControlMessage> manager) {
        ArtifactDownloads[] downloads = new ArtifactDownloads[1];
        ControlSession session = new AnsweringSession(message -> agentThread.execute(() -> {
            ControlMessage answer = manager.apply((ArtifactRequest) message);
            if (answer instanceof ArtifactChunk chunk) {
                downloads[0].chunk(chunk);
            } else {
                downloads[0].rejected((ErrorMessage) answer);
            }
        }));
        downloads[0] = new ArtifactDownloads(agentThread, () -> Optional.of(session));
        return downloads[0];
    }

    private static ArtifactChunk chunk(byte[] artifact, ArtifactRequest request) {
        int end = (int) Math.min(artifact.length, request.offset() + request.length());
        return new ArtifactChunk(SHA256, request.offset(), artifact.length,
                Arrays.copyOfRange(artifact, (int) request.offset(), end));
    }

    /** A session whose manager replies to each sent message. */
    private record AnsweringSession(java.util.function.Consumer<ControlMessage> manager) implements ControlSession {

        @Override
        public long id() {
            return 1;
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 7443);
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
            manager.accept(message);
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
