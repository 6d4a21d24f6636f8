package io.weft.manager.access.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/** Secret files that only their owner may read or write, on a POSIX file system. */
public final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {
    }

    /**
     * Creates {@code target} with mode 0600 and the given content, unless it exists. Returns
     * false when it exists, and then leaves it unchanged.
     *
     * <p>The content goes to a temporary file in the same folder, which is forced to disk and
     * then hard-linked to the target name. A link, unlike a rename, fails when the name
     * exists, so two processes that start at once cannot overwrite each other's file, and a
     * crash leaves either no target or a complete one. The folder is forced to disk last, so
     * the new name survives a power cut.
     *
     * @throws IOException when the folder is missing or not writable, or its file system has
     *                     no POSIX permissions or hard links
     */
    public static boolean createIfAbsent(Path target, byte[] content) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Path temp;
        try {
            temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            throw new IOException("Cannot create " + target + " readable only by its owner: the file system of "
                    + folder + " has no POSIX permissions.", e);
        }

        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
        forceFolder(folder);
        return true;
    }

    /**
     * Reads a file of at most {@code maxBytes} bytes after checking that it is a regular file,
     * not a symbolic link, and that neither its group nor others have any permission.
     *
     * @throws IOException when the file cannot be read or breaks one of the checks; the message
     *                     names the file and the fix
     */
    public static byte[] readChecked(Path file, int maxBytes) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new IOException(file + " is not a regular file. Replace it with a file or delete it.");
        }
        Set<PosixFilePermission> granted = new HashSet<>(attributes.permissions());
        granted.retainAll(GROUP_OR_OTHERS);
        if (!granted.isEmpty()) {
            throw new IOException(file + " can be accessed by users other than its owner (mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + "). Run 'chmod 600 " + file
                    + "', or delete it to generate a new password.");
        }
        return read(file, maxBytes);
    }

    private static byte[] read(Path file, int maxBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(maxBytes + 1);
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // Reads until the end of the file or one byte past the maximum.
            }
        }
        if (buffer.position() > maxBytes) {
            throw new IOException(file + " has more than the maximum of " + maxBytes
                    + " bytes. Delete it to generate a new password.");
        }
        byte[] content = new byte[buffer.position()];
        buffer.flip().get(content);
        Arrays.fill(buffer.array(), (byte) 0);
        return content;
    }

    /** Makes a new name in the folder durable; Linux allows fsync on a folder opened for reading. */
    private static void forceFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
