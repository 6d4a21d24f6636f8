package io.weft.manager.store.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Helpers that build the WHERE clauses of list queries. */
final class Sql {

    private Sql() {
    }

    /** Returns " WHERE c1 AND c2 ...", or an empty string for no conditions. */
    static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** Binds string parameters from index 1 on. */
    static void bind(PreparedStatement statement, List<String> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setString(i + 1, parameters.get(i));
        }
    }

    /** Returns "?, ?, ?" with one placeholder per value. */
    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }
}
