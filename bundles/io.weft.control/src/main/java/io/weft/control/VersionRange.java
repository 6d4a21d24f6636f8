package io.weft.control;

import java.util.OptionalInt;

/**
 * Inclusive range of control protocol versions that one side supports.
 *
 * @param min lowest supported version, at least 1
 * @param max highest supported version, at least {@code min}
 */
public record VersionRange(int min, int max) {

    public VersionRange {
        Require.positive(min, "min");
        if (max < min) {
            throw new IllegalArgumentException("max (" + max + ") must not be lower than min (" + min + ")");
        }
    }

    /** Returns the range that contains only {@code version}. */
    public static VersionRange of(int version) {
        return new VersionRange(version, version);
    }

    public boolean contains(int version) {
        return version >= min && version <= max;
    }

    /** Returns the highest version in both ranges, or empty when they do not overlap. */
    public OptionalInt highestCommon(VersionRange other) {
        int highest = Math.min(max, other.max);
        int lowest = Math.max(min, other.min);
        return highest >= lowest ? OptionalInt.of(highest) : OptionalInt.empty();
    }

    /** Returns "version 2" or "versions 1 to 3", for messages. */
    @Override
    public String toString() {
        return min == max ? "version " + min : "versions " + min + " to " + max;
    }
}
