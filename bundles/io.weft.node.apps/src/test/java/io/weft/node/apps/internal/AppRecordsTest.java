package io.weft.node.apps.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.node.apps.internal.AppRecords.AppRecord;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppRecordsTest {

    @TempDir
    Path folder;

    @Test
    void recordsSurviveReload() throws Exception {
        AppStatus status = new AppStatus("org.example.a", "d1", "2.1.0", AppStatus.ROLLED_BACK, "unhealthy", "2.0.0",
                "2026-12-05T02:00:00Z");
        AppRecords written = new AppRecords(folder);
        written.put("org.example.a", new AppRecord("ab".repeat(32), "2.0.0", "cd".repeat(32), status));
        written.put("org.example.b", new AppRecord(null, null, "ef".repeat(32), null));

        AppRecords read = new AppRecords(folder);
        read.load();

        assertThat(read.all()).isEqualTo(written.all());
        assertThat(read.get("org.example.a").status()).isEqualTo(status);
    }

    @Test
    void missingFileMeansNoApps() throws Exception {
        AppRecords records = new AppRecords(folder);

        records.load();

        assertThat(records.all()).isEmpty();
    }

    @Test
    void removedAppIsGoneAfterReload() throws Exception {
        AppRecords written = new AppRecords(folder);
        written.put("org.example.a", new AppRecord("ab".repeat(32), "1.0.0", null, null));
        written.remove("org.example.a");

        AppRecords read = new AppRecords(folder);
        read.load();

        assertThat(read.all()).isEmpty();
    }
}
