package io.weft.systemtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Edits one key of a Karaf configuration file in etc/ ({@code key = value} lines, read by
 * Felix ConfigAdmin through fileinstall) and keeps every other line and comment.
 */
public final class KarafConfigFile {

    private KarafConfigFile() {
    }

    /**
     * Sets the key to the value: replaces the first line that assigns the key, or appends a
     * line when none does. The value is written as is, so it must not need escaping.
     */
    public static void set(Path file, String key, String value) throws IOException {
        Pattern assignment = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*$");
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.ISO_8859_1))
                : new ArrayList<>();

        boolean replaced = false;
        for (int i = 0; i < lines.size() && !replaced; i++) {
            if (assignment.matcher(lines.get(i)).matches()) {
                lines.set(i, key + " = " + value);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(key + " = " + value);
        }

        Files.write(file, lines, StandardCharsets.ISO_8859_1);
    }

    /** Returns the value of the first line that assigns the key, trimmed, or null when none does. */
    public static String get(Path file, String key) throws IOException {
        Pattern assignment = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:]\\s*(.*?)\\s*$");
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            var matcher = assignment.matcher(line);
            if (matcher.matches()) {
                return matcher.group(1);
            }
        }
        return null;
    }
}
