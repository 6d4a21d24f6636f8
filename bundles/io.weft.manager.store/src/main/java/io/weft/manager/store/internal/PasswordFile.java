package io.weft.manager.store.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.store.StoreException;

/** Reads a database password from a file, never putting the password into a message. */
final class PasswordFile {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordFile.class);

    private PasswordFile() {
    }

    /**
     * Returns the file's content without its trailing line break. Warns when users other than
     * the owner may read the file.
     *
     * @throws StoreException if the file cannot be read or is empty
     */
    static String read(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("Failed to read the database password file " + file + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }

        String password = content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        if (password.isEmpty()) {
            throw new StoreException("The database password file " + file + " is empty; write the password into it");
        }
        warnIfShared(file);
        return password;
    }

    private static void warnIfShared(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("Manager store: database password file {} is readable by other users; restrict it to "
                        + "the service user with chmod 600", file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("Manager store: permissions of {} not checked: {}", file, e.toString());
        }
    }
}
