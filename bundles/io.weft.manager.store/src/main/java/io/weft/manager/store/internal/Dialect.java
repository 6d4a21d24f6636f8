package io.weft.manager.store.internal;

import java.util.Map;

/** The database products that the store supports, with what differs between them. */
enum Dialect {

    DERBY("jdbc:derby:", Map.of("large_text", "CLOB(1M)")),
    POSTGRESQL("jdbc:postgresql:", Map.of("large_text", "TEXT"));

    private final String urlPrefix;
    private final Map<String, String> migrationPlaceholders;

    Dialect(String urlPrefix, Map<String, String> migrationPlaceholders) {
        this.urlPrefix = urlPrefix;
        this.migrationPlaceholders = migrationPlaceholders;
    }

    /**
     * Returns the dialect of a JDBC URL.
     *
     * @throws IllegalArgumentException if the URL names another database product
     */
    static Dialect ofUrl(String jdbcUrl) {
        for (Dialect dialect : values()) {
            if (jdbcUrl.startsWith(dialect.urlPrefix)) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("Unsupported JDBC URL '" + JdbcUrls.redact(jdbcUrl)
                + "': expected jdbc:derby:<folder> or jdbc:postgresql://<host>:<port>/<database>");
    }

    String urlPrefix() {
        return urlPrefix;
    }

    /** Returns the values of the {@code ${name}} placeholders in migration scripts. */
    Map<String, String> migrationPlaceholders() {
        return migrationPlaceholders;
    }
}
