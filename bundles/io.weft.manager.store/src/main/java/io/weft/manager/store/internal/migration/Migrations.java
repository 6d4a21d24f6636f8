package io.weft.manager.store.internal.migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads migration scripts from class loader resources.
 *
 * <p>The scripts are listed by name instead of discovered, because neither a bundle's class
 * loader nor a plain class path can list a resource folder in the same way.
 */
public final class Migrations {

    private Migrations() {
    }

    /**
     * Loads {@code folder/name} for each of the names.
     *
     * @throws IllegalStateException if a script is missing
     */
    public static List<Migration> load(ClassLoader loader, String folder, List<String> fileNames) {
        List<Migration> migrations = new ArrayList<>();
        for (String fileName : fileNames) {
            String resource = folder + "/" + fileName;
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Migration script " + resource + " is missing from the bundle");
                }
                migrations.add(Migration.of(fileName, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to read migration script " + resource, e);
            }
        }
        return migrations;
    }
}
