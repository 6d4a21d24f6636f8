package io.weft.manager.store.internal;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An embedded Derby JDBC URL, {@code jdbc:derby:<database>[;<attribute>=<value>]...}.
 *
 * @param databaseName a folder path, or a name with a subsubprotocol such as {@code memory:test}
 * @param attributes the attributes after the first semicolon, for example {@code create=true}
 */
record DerbyUrl(String databaseName, String attributes) {

    private static final String PREFIX = "jdbc:derby:";

    /**
     * @throws IllegalArgumentException for a network client URL ({@code jdbc:derby://host/...})
     *         or a URL without a database name
     */
    static DerbyUrl parse(String jdbcUrl) {
        if (!jdbcUrl.startsWith(PREFIX)) {
            throw new IllegalArgumentException("Not a Derby URL: '" + JdbcUrls.redact(jdbcUrl) + "'");
        }
        String rest = jdbcUrl.substring(PREFIX.length());
        if (rest.startsWith("//")) {
            throw new IllegalArgumentException("Unsupported JDBC URL '" + JdbcUrls.redact(jdbcUrl)
                    + "': the store embeds Derby and has no Derby network client; use jdbc:derby:<folder>");
        }

        int semicolon = rest.indexOf(';');
        String name = semicolon < 0 ? rest : rest.substring(0, semicolon);
        String attributes = semicolon < 0 ? "" : rest.substring(semicolon + 1);
        if (name.isBlank()) {
            throw new IllegalArgumentException("Invalid JDBC URL '" + JdbcUrls.redact(jdbcUrl)
                    + "': the database folder is missing, as in jdbc:derby:/var/lib/weft/manager-db;create=true");
        }
        return new DerbyUrl(name, attributes);
    }

    DerbyUrl withoutAttributes() {
        return new DerbyUrl(databaseName, "");
    }

    /**
     * Returns the database folder, or empty for a database that is not a plain folder (an
     * in-memory, jar or class path database).
     */
    Optional<Path> folder() {
        String name = databaseName.startsWith("directory:") ? databaseName.substring("directory:".length())
                : databaseName;
        if (name.matches("^[a-zA-Z]{2,}:.*")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(name));
    }
}
