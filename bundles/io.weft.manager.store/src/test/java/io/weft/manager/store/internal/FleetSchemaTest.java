package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.weft.manager.store.internal.migration.Migration;

class FleetSchemaTest {

    /** Maven runs tests from the module folder. */
    private static final Path SOURCE_FOLDER = Path.of("src/main/resources").resolve(FleetSchema.FOLDER);

    @Test
    void listsEveryScriptOfTheFolder() throws IOException {
        try (Stream<Path> files = Files.list(SOURCE_FOLDER)) {
            List<String> names = files.map(file -> file.getFileName().toString()).sorted().toList();

            assertThat(FleetSchema.FILES).as("FleetSchema.FILES against %s", SOURCE_FOLDER)
                    .containsExactlyInAnyOrderElementsOf(names);
        }
    }

    @Test
    void versionsStartAtOneWithoutGaps() {
        List<Integer> versions = FleetSchema.migrations().stream().map(Migration::version).toList();

        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i)).as("version of migration %d", i + 1).isEqualTo(i + 1);
        }
    }
}
