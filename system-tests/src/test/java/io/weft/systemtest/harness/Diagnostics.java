package io.weft.systemtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Collects what a failed test needs for diagnosis. The tails of data/log/karaf.log and of
 * the process output go to standard error, which failsafe stores with the failed test in
 * its report. Full copies of both files go to the log folder.
 */
final class Diagnostics {

    private static final int TAIL_LINES = 200;

    private Diagnostics() {
    }

    /** Prints the tails and copies the files into {@code <logDir>/<testId>/<installation name>/}. */
    static void attach(WeftInstallation installation, String testId) {
        Path copies = HarnessSettings.logDir().resolve(testId).resolve(installation.name());
        StringBuilder report = new StringBuilder();
        report.append("\n===== Diagnostics of ").append(installation).append(" for ").append(testId)
                .append(" (running: ").append(installation.isRunning())
                .append("; full files in ").append(copies).append(") =====\n");

        appendTail(report, "data/log/karaf.log", installation.karafLog());
        if (installation.processOutput() != null) {
            appendTail(report, "process output", installation.processOutput());
        }
        System.err.print(report);

        copy(installation.karafLog(), copies.resolve("karaf.log"));
        if (installation.processOutput() != null) {
            copy(installation.processOutput(), copies.resolve("process-output.log"));
        }
    }

    private static void appendTail(StringBuilder report, String title, Path file) {
        report.append("----- last ").append(TAIL_LINES).append(" lines of ").append(title)
                .append(" (").append(file).append(") -----\n");
        if (!Files.exists(file)) {
            report.append("(file does not exist)\n");
            return;
        }
        try {
            // Decoding replaces invalid bytes, so a torn last line cannot hide the rest.
            List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            for (String line : lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())) {
                report.append(line).append('\n');
            }
        } catch (IOException e) {
            report.append("(failed to read: ").append(e).append(")\n");
        }
    }

    private static void copy(Path source, Path target) {
        if (!Files.exists(source)) {
            return;
        }
        try {
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("Failed to copy " + source + " to " + target + ": " + e);
        }
    }
}
