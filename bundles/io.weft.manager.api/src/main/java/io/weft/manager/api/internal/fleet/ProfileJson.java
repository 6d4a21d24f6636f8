package io.weft.manager.api.internal.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.Profile;
import io.weft.fleet.ProfileEntry;
import io.weft.fleet.ProfileValue;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.FleetStore;

/**
 * The JSON form of a profile, used both in the API and as the document that the store keeps:
 *
 * <pre>
 * {"pids": {"org.ops4j.pax.web": {
 *     "org.osgi.service.http.port": {"type": "long", "value": 8443},
 *     "old.key": {"remove": true}}}}
 * </pre>
 *
 * <p>A type is one of {@code string}, {@code long}, {@code double}, {@code boolean} or an array
 * of one of them such as {@code long[]}, and the value must be of that JSON type. Nothing is
 * parsed from text, so {@code "8443"} is not a long. Rejections name the entry as a path such
 * as {@code pids["org.ops4j.pax.web"]["org.osgi.service.http.port"].value}.
 */
public final class ProfileJson {

    /**
     * A profile document: PID, then property key, to entry.
     *
     * @param pids the entries by PID and key, in the order written
     */
    public record Document(Map<String, Map<String, Entry>> pids) {
    }

    /**
     * One key of a profile: either a typed value, or a removal of the value inherited from
     * higher levels.
     *
     * @param type   the value type, such as {@code long} or {@code string[]}; absent for a removal
     * @param value  the value, of the JSON type that {@code type} names; absent for a removal
     * @param remove true for a removal; absent for a value
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String type, JsonNode value, Boolean remove) {
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Longest PID or key quoted whole in a path: a valid one has at most 255 characters. */
    private static final int MAX_QUOTED_LENGTH = 255;

    private ProfileJson() {
    }

    /**
     * Converts a document to a profile.
     *
     * @throws InvalidFieldException naming the path of the first invalid PID, key, type or value
     */
    public static Profile toProfile(Document document) {
        if (document == null || document.pids() == null) {
            throw new InvalidFieldException("pids", "The profile has no 'pids' object. Send {\"pids\": {}} for an"
                    + " empty profile.");
        }
        Profile.Builder builder = Profile.builder();
        for (Map.Entry<String, Map<String, Entry>> pid : document.pids().entrySet()) {
            if (pid.getValue() == null) {
                throw new InvalidFieldException(path(pid.getKey()), "The PID has null instead of an object of keys.");
            }
            for (Map.Entry<String, Entry> key : pid.getValue().entrySet()) {
                add(builder, pid.getKey(), key.getKey(), key.getValue());
            }
        }
        return builder.build();
    }

    /** Converts a profile to its document, PIDs and keys in the profile's sorted order. */
    public static Document toDocument(Profile profile) {
        Map<String, Map<String, Entry>> pids = new LinkedHashMap<>();
        for (String pid : profile.pids()) {
            Map<String, Entry> keys = new LinkedHashMap<>();
            for (ProfileEntry entry : profile.entries(pid)) {
                keys.put(entry.key(), entry.value().map(ProfileJson::toEntry).orElse(new Entry(null, null, true)));
            }
            pids.put(pid, keys);
        }
        return new Document(pids);
    }

    public static Entry toEntry(ProfileValue value) {
        return new Entry(value.type().id(), MAPPER.valueToTree(value.toConfigurationValue()), null);
    }

    /**
     * Writes the document that the store keeps.
     *
     * @throws InvalidFieldException when the document is longer than the store accepts
     */
    static String write(Profile profile) {
        String json;
        try {
            json = MAPPER.writeValueAsString(toDocument(profile));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write a profile document as JSON", e);
        }
        if (json.length() > FleetStore.MAX_PROFILE_LENGTH) {
            throw new InvalidFieldException("pids", "The profile has " + json.length() + " characters as JSON,"
                    + " more than the maximum of " + FleetStore.MAX_PROFILE_LENGTH + ". Remove entries.");
        }
        return json;
    }

    /**
     * Reads a document that {@link #write} wrote.
     *
     * @throws IllegalStateException when the stored document is not a valid profile, which only
     *                               a change to the database outside the manager can cause
     */
    public static Profile read(String json) {
        try {
            return toProfile(MAPPER.readValue(json, Document.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read a stored profile document", e);
        } catch (InvalidFieldException e) {
            throw new IllegalStateException("A stored profile document is invalid at " + e.field() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void add(Profile.Builder builder, String pid, String key, Entry entry) {
        String path = path(pid, key);
        if (entry == null) {
            throw new InvalidFieldException(path, "The entry is null. Send {\"type\": ..., \"value\": ...} to set"
                    + " the key, or {\"remove\": true} to remove the inherited value.");
        }
        try {
            if (entry.remove() != null) {
                requireRemoval(path, entry);
                builder.remove(pid, key);
            } else {
                builder.set(pid, key, value(path, entry));
            }
        } catch (InvalidFleetInputException e) {
            throw new InvalidFieldException(fieldPath(pid, key, e.field()), e.getMessage());
        }
    }

    private static void requireRemoval(String path, Entry entry) {
        if (!entry.remove() || entry.type() != null || entry.value() != null) {
            throw new InvalidFieldException(path + ".remove", "An entry either removes the key with"
                    + " {\"remove\": true} alone, or sets it with {\"type\": ..., \"value\": ...}.");
        }
    }

    private static ProfileValue value(String path, Entry entry) {
        if (entry.type() == null) {
            throw new InvalidFieldException(path + ".type", "The value type is missing. Send one of string, long,"
                    + " double, boolean, string[], long[], double[] or boolean[].");
        }
        ProfileValue.Type type = FleetInputs.parse(path + ".type", entry.type(), ProfileValue.Type::parse);
        return FleetInputs.parse(path + ".value", null, any -> ProfileValue.of(type, toJava(entry.value())));
    }

    /**
     * Returns the Java form that {@link ProfileValue#of} checks: String, BigInteger, BigDecimal,
     * Boolean, a List of those, or the node itself for an object, which every type rejects.
     */
    private static Object toJava(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
            // A literal such as 1e400 overflows to infinity, which has no decimal form. The
            // fleet model rejects the double with a message that names the key.
            return node.doubleValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> elements = new ArrayList<>(node.size());
            node.forEach(element -> elements.add(toJava(element)));
            return elements;
        }
        return node;
    }

    /** Maps the fleet model's field to the path of the entry: the PID, the key or the value. */
    private static String fieldPath(String pid, String key, String fleetField) {
        return switch (fleetField) {
            case "pid" -> path(pid);
            case "key" -> path(pid, key);
            default -> path(pid, key) + "." + fleetField;
        };
    }

    private static String path(String pid) {
        return "pids[" + quote(pid) + "]";
    }

    private static String path(String pid, String key) {
        return path(pid) + "[" + quote(key) + "]";
    }

    /** Quotes a PID or key for a path, cutting one longer than any valid name so the path stays short. */
    private static String quote(String name) {
        String quoted = name.length() <= MAX_QUOTED_LENGTH ? name : name.substring(0, MAX_QUOTED_LENGTH) + "...";
        return '"' + quoted.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
