package io.weft.fleet;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a {@link Profile} under a PID: a key with either a value, or an explicit removal
 * that drops the value the key inherits from higher levels.
 */
public final class ProfileEntry {

    private final String key;

    /** The key in lower case, under which profiles match keys ignoring case. */
    private final String foldedKey;

    /** The value, or null for a removal. */
    private final ProfileValue value;

    private ProfileEntry(String key, ProfileValue value) {
        this.key = key;
        this.foldedKey = foldKey(key);
        this.value = value;
    }

    static ProfileEntry set(String key, ProfileValue value) {
        return new ProfileEntry(key, Objects.requireNonNull(value, "value"));
    }

    static ProfileEntry removal(String key) {
        return new ProfileEntry(key, null);
    }

    /**
     * Folds a key to the form under which profiles match it. Keys are printable ASCII, so
     * lower-casing with the root locale is exact.
     */
    static String foldKey(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    /** Returns the key as it was written. */
    public String key() {
        return key;
    }

    public boolean isRemoval() {
        return value == null;
    }

    /** Returns the value, or empty for a removal. */
    public Optional<ProfileValue> value() {
        return Optional.ofNullable(value);
    }

    String foldedKey() {
        return foldedKey;
    }

    ProfileValue valueOrNull() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ProfileEntry)) {
            return false;
        }
        ProfileEntry that = (ProfileEntry) other;
        return key.equals(that.key) && Objects.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Objects.hashCode(value);
    }

    /** Returns {@code key=value}, or {@code key removed} for a removal. */
    @Override
    public String toString() {
        return isRemoval() ? key + " removed" : key + "=" + value;
    }
}
