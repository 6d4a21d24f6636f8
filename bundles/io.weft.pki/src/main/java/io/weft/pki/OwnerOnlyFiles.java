package io.weft.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes and reads files that only their owner may access, on a POSIX file system: private
 * keys, passphrases and signed state.
 *
 * <p>A write goes to a temporary file in the target's directory that is created with mode
 * 0600, so no other user can open it at any moment. The content is forced to disk, the file
 * is renamed or linked to the target name, and the directory is forced to disk, so that a crash
 * leaves either the old or the new content under the target name.
 */
public final class OwnerOnlyFiles {

    /** Mode 0600. */
    public static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    /** Mode 0700. */
    public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {
    }

    /**
     * Writes {@code content} to {@code target} with mode 0600, replacing an existing file
     * atomically (rename(2) over the old name).
     *
     * @throws IOException when the directory is missing or not writable, or its file system
     *                     has no POSIX permissions
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path temp = writeTemp(target, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(directoryOf(target));
    }

    /**
     * Creates {@code target} with mode 0600 and {@code content}. The temporary file is
     * hard-linked to the target name, which fails when the name exists, so two processes cannot
     * overwrite each other's file.
     *
     * @throws FileAlreadyExistsException when {@code target} exists, which is left unchanged
     * @throws IOException                when the directory is missing or not writable, or its file
     *                                    system has no POSIX permissions or hard links
     */
    public static void createNew(Path target, byte[] content) throws IOException {
        Path temp = writeTemp(target, content);
        try {
            Files.createLink(target, temp);
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(directoryOf(target));
    }

    /**
     * Creates {@code directory} with mode 0700, with its missing parents (which get the default
     * mode), or sets mode 0700 on an existing directory.
     *
     * @throws IOException when the path exists and is not a directory, or its mode cannot be set
     */
    public static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
            return;
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        } catch (UnsupportedOperationException e) {
            throw new IOException("Cannot create " + directory + " for its owner only: its file system has no POSIX"
                    + " permissions.", e);
        }
        // The umask may have removed bits, never added any, so this only restores owner bits it cleared.
        Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
    }

    /**
     * Reads a file of at most {@code maxBytes} bytes after checking that it is a regular file,
     * not a symbolic link, and that its group and others have no permission on it.
     *
     * @throws IOException when the file cannot be read or fails a check. The message names the
     *                     file and the fix
     */
    public static byte[] read(Path file, int maxBytes) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new IOException(file + " is not a regular file. Replace it with a file.");
        }
        Set<PosixFilePermission> granted = new HashSet<>(attributes.permissions());
        granted.retainAll(GROUP_OR_OTHERS);
        if (!granted.isEmpty()) {
            throw new IOException(file + " can be accessed by users other than its owner (mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + "). Run 'chmod 600 " + file + "'.");
        }
        return readAtMost(file, maxBytes);
    }

    private static Path writeTemp(Path target, byte[] content) throws IOException {
        Path directory = directoryOf(target);
        Path temp;
        try {
            temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
        } catch (UnsupportedOperationException e) {
            throw new IOException("Cannot create " + target + " readable only by its owner: the file system of "
                    + directory + " has no POSIX permissions.", e);
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    private static byte[] readAtMost(Path file, int maxBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(maxBytes + 1);
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // Reads until the end of the file or one byte past the maximum.
            }
        }
        if (buffer.position() > maxBytes) {
            Arrays.fill(buffer.array(), (byte) 0);
            throw new IOException(file + " has more than the maximum of " + maxBytes + " bytes.");
        }
        byte[] content = new byte[buffer.position()];
        buffer.flip().get(content);
        Arrays.fill(buffer.array(), (byte) 0);
        return content;
    }

    private static Path directoryOf(Path target) {
        return target.toAbsolutePath().getParent();
    }

    /** Makes a new name in the directory durable. Linux allows fsync on a directory opened for reading. */
    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
