package io.weft.node.apps.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.pki.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The apps that this node installed, kept in {@code apps.json} of the app folder and written
 * atomically after every change, so that after a restart the deployer reads which bundle
 * version each app runs and which version failed, without a new download.
 */
final class AppRecords {

    /**
     * One installed app.
     *
     * @param sha256       SHA-256 of the bundle that runs, null when none runs
     * @param version      its version, null when none runs
     * @param failedSha256 SHA-256 of the last version that failed, which is not tried again until the
     *                     desired state names another one; null when none failed
     * @param status       the last status reported
     */
    record AppRecord(String sha256, String version, String failedSha256, AppStatus status) {
    }

    static final String FILE = "apps.json";
    private static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, AppRecord> records = new TreeMap<>();

    AppRecords(Path folder) {
        this.file = folder.resolve(FILE);
    }

    /** Reads the stored records; a missing file means no app. */
    void load() throws IOException {
        records.clear();
        if (!Files.exists(file)) {
            return;
        }
        records.putAll(JSON.readValue(OwnerOnlyFiles.read(file, MAX_BYTES),
                new TypeReference<TreeMap<String, AppRecord>>() { }));
    }

    AppRecord get(String app) {
        return records.get(app);
    }

    Map<String, AppRecord> all() {
        return Map.copyOf(records);
    }

    void put(String app, AppRecord record) throws IOException {
        records.put(app, record);
        save();
    }

    void remove(String app) throws IOException {
        records.remove(app);
        save();
    }

    private void save() throws IOException {
        OwnerOnlyFiles.write(file, JSON.writeValueAsBytes(records));
    }
}
