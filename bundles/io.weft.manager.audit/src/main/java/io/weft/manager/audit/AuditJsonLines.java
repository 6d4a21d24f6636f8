package io.weft.manager.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.weft.manager.audit.internal.BoundedLineReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Export and import of audit entries as JSON lines: one JSON object per line, each line
 * ending with '\n', in sequence order.
 *
 * <p>A line has exactly these members, in this order when written:
 * {@code sequence} (integer), {@code time} (ISO-8601 UTC, such as
 * {@code 2026-03-01T10:00:00.123456Z}), {@code actor}, {@code remoteAddress} (string or null),
 * {@code action}, {@code target}, {@code before} and {@code after} (string or null),
 * {@code previousHash} and {@code hash}. {@code before} and {@code after} are the stored JSON
 * text as JSON strings, not embedded objects, so that an import gets back the exact text that
 * the hash covers. The reader rejects missing, unknown, repeated and mistyped members.
 */
public final class AuditJsonLines {

    /**
     * Maximum length of a line that the reader accepts, in characters. Both states at their
     * maximum length, with every character escaped to two, fit with room for the other fields.
     */
    public static final int MAX_LINE_LENGTH = 4 * AuditEvent.MAX_STATE_LENGTH + 65_536;

    private static final List<String> MEMBERS = List.of("sequence", "time", "actor", "remoteAddress", "action",
            "target", "before", "after", "previousHash", "hash");
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private AuditJsonLines() {
    }

    /** Writes each entry as one line. The writer stays open. */
    public static void write(Iterable<AuditEntry> entries, Writer out) throws IOException {
        for (AuditEntry entry : entries) {
            out.write(toLine(entry));
            out.write('\n');
        }
        out.flush();
    }

    /** Returns the entry as one line of JSON, without the line break. */
    public static String toLine(AuditEntry entry) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator generator = JSON.createGenerator(line)) {
            generator.writeStartObject();
            generator.writeNumberField("sequence", entry.sequence());
            generator.writeStringField("time", entry.time().toString());
            generator.writeStringField("actor", entry.actor());
            generator.writeStringField("remoteAddress", entry.remoteAddress());
            generator.writeStringField("action", entry.action());
            generator.writeStringField("target", entry.target());
            generator.writeStringField("before", entry.before());
            generator.writeStringField("after", entry.after());
            generator.writeStringField("previousHash", entry.previousHash());
            generator.writeStringField("hash", entry.hash());
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to a StringWriter cannot fail", e);
        }
        return line.toString();
    }

    /**
     * Returns the entries of an export, read lazily, one line at a time, so that a whole log can
     * be verified in constant memory: {@code AuditVerifier.verify(AuditJsonLines.read(reader))}.
     * The result can be iterated once, and the caller closes the reader.
     *
     * <p>The iterator throws {@link InvalidAuditLineException} with the line number for a line
     * that is empty, longer than {@link #MAX_LINE_LENGTH} or not an entry, and
     * {@link UncheckedIOException} when the reader fails.
     */
    public static Iterable<AuditEntry> read(Reader in) {
        BoundedLineReader lines = new BoundedLineReader(in, MAX_LINE_LENGTH);
        return () -> new Iterator<>() {
            private String next = readLine(lines);

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public AuditEntry next() {
                if (next == null) {
                    throw new NoSuchElementException("The audit export has no more lines");
                }
                AuditEntry entry = parseLine(next, lines.lineNumber());
                next = readLine(lines);
                return entry;
            }
        };
    }

    /**
     * Parses one line of an export.
     *
     * @param lineNumber the line's number, for the message of a rejection
     * @throws InvalidAuditLineException when the line is not one entry in the form above
     */
    public static AuditEntry parseLine(String line, long lineNumber) {
        if (line.isEmpty()) {
            throw new InvalidAuditLineException(lineNumber, "the line is empty.", null);
        }
        try (JsonParser parser = JSON.createParser(line)) {
            Map<String, Object> members = readMembers(parser, lineNumber);
            return toEntry(members, lineNumber);
        } catch (JsonProcessingException e) {
            throw new InvalidAuditLineException(lineNumber, "not valid JSON: " + e.getOriginalMessage() + ".", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading a string cannot fail", e);
        }
    }

    private static String readLine(BoundedLineReader lines) {
        try {
            return lines.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the audit export failed after line " + lines.lineNumber(), e);
        }
    }

    private static Map<String, Object> readMembers(JsonParser parser, long lineNumber) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidAuditLineException(lineNumber, "expected a JSON object.", null);
        }
        Map<String, Object> members = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (!MEMBERS.contains(name)) {
                throw new InvalidAuditLineException(lineNumber, "unknown member '" + name + "'. The members are "
                        + String.join(", ", MEMBERS) + ".", null);
            }
            members.put(name, readValue(parser, name, lineNumber));
        }
        if (parser.nextToken() != null) {
            throw new InvalidAuditLineException(lineNumber, "content follows the JSON object.", null);
        }
        for (String name : MEMBERS) {
            if (!members.containsKey(name)) {
                throw new InvalidAuditLineException(lineNumber, "the member '" + name + "' is missing.", null);
            }
        }
        return members;
    }

    private static Object readValue(JsonParser parser, String name, long lineNumber) throws IOException {
        JsonToken token = parser.nextToken();
        if (name.equals("sequence")) {
            if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new InvalidAuditLineException(lineNumber, "the member 'sequence' is not an integer of at most"
                        + " 19 digits.", null);
            }
            return parser.getLongValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new InvalidAuditLineException(lineNumber, "the member '" + name + "' is not a string or null.", null);
    }

    private static AuditEntry toEntry(Map<String, Object> members, long lineNumber) {
        Instant time;
        try {
            time = Instant.parse(required(members, "time", lineNumber));
        } catch (DateTimeParseException e) {
            throw new InvalidAuditLineException(lineNumber, "the member 'time' is not an ISO-8601 UTC time such as"
                    + " 2026-03-01T10:00:00Z.", e);
        }
        return new AuditEntry((Long) members.get("sequence"), time, required(members, "actor", lineNumber),
                (String) members.get("remoteAddress"), required(members, "action", lineNumber),
                required(members, "target", lineNumber), (String) members.get("before"), (String) members.get("after"),
                required(members, "previousHash", lineNumber), required(members, "hash", lineNumber));
    }

    private static String required(Map<String, Object> members, String name, long lineNumber) {
        Object value = members.get(name);
        if (value == null) {
            throw new InvalidAuditLineException(lineNumber, "the member '" + name + "' is null.", null);
        }
        return (String) value;
    }
}
