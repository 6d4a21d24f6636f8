package io.weft.manager.store.internal;

import java.util.regex.Pattern;

/** Helpers for JDBC URLs in messages. */
final class JdbcUrls {

    /** A password attribute of a Derby URL (;password=) or a PostgreSQL URL (?password= or &password=). */
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^;&]*");

    private JdbcUrls() {
    }

    /** Returns the URL with the value of any password attribute replaced by ***. */
    static String redact(String jdbcUrl) {
        return PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
    }
}
