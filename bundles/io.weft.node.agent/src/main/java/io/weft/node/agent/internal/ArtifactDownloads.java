package io.weft.node.agent.internal;

import io.weft.control.ArtifactChunk;
import io.weft.control.ArtifactRequest;
import io.weft.control.ControlSession;
import io.weft.control.ErrorMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads of artifacts over the control session, with flow control: each download requests
 * one range of at most {@link ArtifactRequest#MAX_CHUNK_BYTES}, and requests the next only
 * when that range arrived. Data goes to {@code <target>.part}, which becomes the target when it is
 * complete. A download fails when no chunk arrives within {@link #CHUNK_TIMEOUT}, when the
 * manager refuses it, or when the session is replaced.
 *
 * <p>Every method except {@link #start} runs on the agent thread, so the class needs no locks.
 */
final class ArtifactDownloads {

    static final Duration CHUNK_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactDownloads.class);
    private static final Pattern REJECTED_DIGEST = Pattern.compile("([0-9a-f]{64})");

    private final ScheduledExecutorService agentThread;
    private final Supplier<Optional<ControlSession>> session;
    private final Map<String, Download> active = new HashMap<>();

    ArtifactDownloads(ScheduledExecutorService agentThread, Supplier<Optional<ControlSession>> session) {
        this.agentThread = Objects.requireNonNull(agentThread, "agentThread");
        this.session = Objects.requireNonNull(session, "session");
    }

    /** Starts a download on the agent thread; a download of the same artifact in progress is joined. */
    CompletableFuture<Path> start(String sha256, long size, Path target) {
        CompletableFuture<Path> result = new CompletableFuture<>();
        try {
            agentThread.execute(() -> begin(sha256, size, target).whenComplete((path, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(path);
                }
            }));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IOException("the node agent is stopping", e));
        }
        return result;
    }

    void chunk(ArtifactChunk chunk) {
        Download download = active.get(chunk.sha256());
        if (download == null) {
            LOG.debug("Artifacts: ignored a chunk of {}, which no download expects", chunk.sha256());
            return;
        }
        try {
            download.accept(chunk);
        } catch (IOException | IllegalStateException e) {
            fail(download, e.getMessage());
            return;
        }
        if (download.complete()) {
            finish(download);
        } else {
            request(download);
        }
    }

    /** Fails the download that an ERROR from the manager names, or every download when it names none. */
    void rejected(ErrorMessage error) {
        Matcher digest = REJECTED_DIGEST.matcher(error.message());
        if (digest.find() && active.containsKey(digest.group(1))) {
            fail(active.get(digest.group(1)), "the manager refused it: " + error.message());
            return;
        }
        List.copyOf(active.values()).forEach(download -> fail(download, "the manager refused it: "
                + error.message()));
    }

    /** Fails every download, because the session that carried it is gone. */
    void sessionReplaced() {
        List.copyOf(active.values()).forEach(download -> fail(download, "the control connection was reopened"));
    }

    private CompletableFuture<Path> begin(String sha256, long size, Path target) {
        Download running = active.get(sha256);
        if (running != null) {
            return running.future;
        }
        if (session.get().isEmpty()) {
            return CompletableFuture.failedFuture(new IOException("the node is not connected to the manager"));
        }
        Download download;
        try {
            download = new Download(sha256, size, target);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IOException("opening " + target + ".part failed: "
                    + e.getMessage(), e));
        }
        active.put(sha256, download);
        LOG.info("Artifacts: downloading {} ({} bytes) to {}", sha256, size, target);
        request(download);
        return download.future;
    }

    private void request(Download download) {
        Optional<ControlSession> open = session.get();
        if (open.isEmpty()) {
            fail(download, "the control connection closed");
            return;
        }
        int length = (int) Math.min(ArtifactRequest.MAX_CHUNK_BYTES, download.size - download.offset);
        download.rescheduleTimeout(agentThread.schedule(() -> timedOut(download), CHUNK_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS));
        open.get().send(new ArtifactRequest(download.sha256, download.offset, Math.max(1, length)));
    }

    private void timedOut(Download download) {
        if (active.get(download.sha256) == download) {
            fail(download, "no data arrived within " + CHUNK_TIMEOUT.toSeconds() + " s");
        }
    }

    private void finish(Download download) {
        active.remove(download.sha256);
        try {
            download.close();
            Files.move(download.part, download.target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            download.future.completeExceptionally(new IOException("moving " + download.part + " to "
                    + download.target + " failed: " + e.getMessage(), e));
            return;
        }
        LOG.info("Artifacts: downloaded {} ({} bytes)", download.sha256, download.size);
        download.future.complete(download.target);
    }

    private void fail(Download download, String reason) {
        active.remove(download.sha256);
        download.abort();
        LOG.warn("Artifacts: downloading {} failed: {}", download.sha256, reason);
        download.future.completeExceptionally(new IOException("downloading " + download.sha256 + " failed: "
                + reason));
    }

    /** One download in progress. */
    private static final class Download {

        final String sha256;
        final long size;
        final Path target;
        final Path part;
        final FileChannel out;
        final CompletableFuture<Path> future = new CompletableFuture<>();
        long offset;
        ScheduledFuture<?> timeout;

        Download(String sha256, long size, Path target) throws IOException {
            this.sha256 = sha256;
            this.size = size;
            this.target = target;
            this.part = target.resolveSibling(target.getFileName() + ".part");
            this.out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }

        void accept(ArtifactChunk chunk) throws IOException {
            if (chunk.totalSize() != size) {
                throw new IllegalStateException("the manager sends " + chunk.totalSize() + " bytes, but the desired"
                        + " state names " + size);
            }
            if (chunk.offset() != offset) {
                throw new IllegalStateException("expected the range at offset " + offset + ", received offset "
                        + chunk.offset());
            }
            if (chunk.data().length == 0) {
                throw new IllegalStateException("the manager sent an empty range at offset " + offset);
            }
            ByteBuffer data = ByteBuffer.wrap(chunk.data());
            while (data.hasRemaining()) {
                out.write(data, offset + data.position());
            }
            offset += chunk.data().length;
        }

        boolean complete() {
            return offset == size;
        }

        void rescheduleTimeout(ScheduledFuture<?> next) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            timeout = next;
        }

        void close() throws IOException {
            rescheduleTimeout(null);
            out.force(true);
            out.close();
        }

        void abort() {
            rescheduleTimeout(null);
            try {
                out.close();
                Files.deleteIfExists(part);
            } catch (IOException e) {
                LOG.debug("Artifacts: removing {} failed: {}", part, e.getMessage());
            }
        }
    }
}
