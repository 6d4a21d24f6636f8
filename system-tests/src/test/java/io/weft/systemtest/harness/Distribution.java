package io.weft.systemtest.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Weft distributions that the system tests start, with their role and archive. */
public enum Distribution {

    NODE("node"),
    MANAGER("manager");

    private final String role;

    Distribution(String role) {
        this.role = role;
    }

    /** Returns the role as the readiness report and {@code weft:version} name it. */
    public String role() {
        return role;
    }

    /**
     * Returns the distribution tar.gz that Maven resolved, from the system property
     * {@code weft.<role>.distribution}.
     *
     * @throws IllegalStateException when the property is missing or names no file
     */
    public Path archive() {
        String property = "weft." + role + ".distribution";
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set; run the system tests "
                    + "through Maven (mvn verify -pl system-tests), which sets it to the weft-" + role + " tar.gz");
        }

        Path archive = Path.of(value);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("System property " + property + " names " + archive
                    + ", which is not a file; build the distribution first (mvn install)");
        }
        return archive;
    }
}
