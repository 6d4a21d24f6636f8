package io.weft.manager.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Calendar;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;

/**
 * Conversions between Java values and columns. TIMESTAMP columns hold UTC: reading and writing
 * them through a UTC calendar keeps the JVM's time zone (and its daylight saving gaps) out.
 */
final class Rows {

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private Rows() {
    }

    static void setInstant(PreparedStatement statement, int index, Instant time) throws SQLException {
        statement.setTimestamp(index, Timestamp.from(time), Calendar.getInstance(UTC, Locale.ROOT));
    }

    static void setOptionalString(PreparedStatement statement, int index, Optional<String> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        return optionalInstant(row, column).orElseThrow(() -> new SQLException("Column " + column + " is null"));
    }

    static Optional<Instant> optionalInstant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column, Calendar.getInstance(UTC, Locale.ROOT));
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }

    /** Returns the lower-case column value of an enum constant. */
    static String code(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E fromCode(Class<E> type, String code) {
        return Enum.valueOf(type, code.strip().toUpperCase(Locale.ROOT));
    }
}
