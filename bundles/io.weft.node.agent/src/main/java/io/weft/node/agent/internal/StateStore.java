package io.weft.node.agent.internal;

import io.weft.pki.DocumentVerifier;
import io.weft.pki.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed envelope of the last applied desired state, in {@value #STATE_FILE} of a
 * directory of mode 0700, written atomically with mode 0600. The store does not verify the
 * envelope: {@link DesiredStateProcessor} does, after every read.
 */
final class StateStore {

    static final String STATE_FILE = "desired-state.signed";

    private final Path directory;

    StateStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    Path file() {
        return directory.resolve(STATE_FILE);
    }

    /** Returns the stored envelope, or empty when the node has applied no state yet. */
    Optional<byte[]> load() throws IOException {
        try {
            return Optional.of(OwnerOnlyFiles.read(file(), DocumentVerifier.MAX_BYTES));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    void save(byte[] envelope) throws IOException {
        OwnerOnlyFiles.createPrivateDirectory(directory);
        OwnerOnlyFiles.write(file(), envelope);
    }

    void delete() throws IOException {
        Files.deleteIfExists(file());
    }
}
