package io.weft.manager.store.internal;

import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.weft.manager.store.FleetStore;

/** Validation of the names and texts that the store accepts, with messages for operators. */
final class Names {

    static final int MAX_DOMAIN_LENGTH = 253;
    static final int MAX_FULL_NAME_LENGTH = 317;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62}[A-Za-z0-9])?");
    private static final Pattern NODE_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Names() {
    }

    static String domain(String name) {
        requireText(name, "domain name");
        if (name.length() > MAX_DOMAIN_LENGTH) {
            throw new IllegalArgumentException("Invalid domain name '" + name + "': longer than " + MAX_DOMAIN_LENGTH
                    + " characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("Invalid domain name '" + name + "': label '" + label
                        + "' must be 1 to 63 lower-case letters, digits or hyphens, not starting or ending with a hyphen");
            }
        }
        return name;
    }

    static String nodeName(String name) {
        requireText(name, "node name");
        if (!LABEL.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid node name '" + name + "': expected one DNS label, 1 to 63 "
                    + "lower-case letters, digits or hyphens, not starting or ending with a hyphen");
        }
        return name;
    }

    static Set<String> tags(Set<String> tags) {
        for (String tag : tags) {
            label(tag, "tag");
        }
        return tags;
    }

    static String cluster(String cluster) {
        return label(cluster, "cluster name");
    }

    private static String label(String value, String field) {
        requireText(value, field);
        if (!TAG.matcher(value).matches()) {
            throw new IllegalArgumentException("Invalid " + field + " '" + value + "': expected 1 to "
                    + FleetStore.MAX_TAG_LENGTH + " letters, digits, dots, underscores or hyphens, starting and "
                    + "ending with a letter or digit");
        }
        return value;
    }

    static String description(String description) {
        requireText(description, "description");
        if (description.length() > FleetStore.MAX_DESCRIPTION_LENGTH) {
            throw new IllegalArgumentException("Invalid description: " + description.length() + " characters, more "
                    + "than the maximum of " + FleetStore.MAX_DESCRIPTION_LENGTH);
        }
        return description;
    }

    static String profileDocument(String json) {
        requireText(json, "profile document");
        if (json.length() > FleetStore.MAX_PROFILE_LENGTH) {
            throw new IllegalArgumentException("Invalid profile document: " + json.length() + " characters, more "
                    + "than the maximum of " + FleetStore.MAX_PROFILE_LENGTH);
        }
        return json;
    }

    static String cursor(String cursor) {
        requireText(cursor, "cursor");
        if (cursor.length() > MAX_FULL_NAME_LENGTH) {
            throw new IllegalArgumentException("Invalid cursor: longer than " + MAX_FULL_NAME_LENGTH + " characters; "
                    + "pass the nextCursor of the previous page unchanged");
        }
        return cursor;
    }

    /** Returns whether the text has the form of an id that {@link #newNodeId()} creates. */
    static boolean isNodeId(String id) {
        return id != null && NODE_ID.matcher(id).matches();
    }

    static String newNodeId() {
        return UUID.randomUUID().toString();
    }

    private static void requireText(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("Missing " + field);
        }
    }
}
