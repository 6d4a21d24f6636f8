package io.weft.manager.store.internal;

import java.sql.SQLException;

/** SQL states that Derby and PostgreSQL share, from the SQL standard. */
final class SqlStates {

    private SqlStates() {
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    static boolean isForeignKeyViolation(SQLException e) {
        return "23503".equals(e.getSQLState());
    }
}
