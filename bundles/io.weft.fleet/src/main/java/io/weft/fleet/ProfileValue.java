package io.weft.fleet;

import io.weft.fleet.internal.EnumIds;
import io.weft.fleet.internal.ValueConversion;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Typed value of one configuration property: a string, long, double or boolean, or an array
 * of one of them. These are the types that Configuration Admin stores and the Felix
 * {@code .config} format writes with their type.
 *
 * <p>A value is immutable: arrays are copied on the way in and out. Two values are equal when
 * they have the same type and equal elements, so the long 1 differs from the double 1.0.
 * {@link #toString()} shows the value itself, so do not log values of keys that may hold
 * secrets.
 */
public final class ProfileValue {

    /** Maximum length of a string, or of one string element of an array, in characters. */
    public static final int MAX_STRING_LENGTH = 65_536;

    /** Maximum number of elements of an array. */
    public static final int MAX_ARRAY_LENGTH = 4_096;

    /** Type of a value. The ids are those of the API, such as {@code long[]}. */
    public enum Type {
        STRING("string", null),
        LONG("long", null),
        DOUBLE("double", null),
        BOOLEAN("boolean", null),
        STRING_ARRAY("string[]", STRING),
        LONG_ARRAY("long[]", LONG),
        DOUBLE_ARRAY("double[]", DOUBLE),
        BOOLEAN_ARRAY("boolean[]", BOOLEAN);

        private final String id;
        private final Type elementType;

        Type(String id, Type elementType) {
            this.id = id;
            this.elementType = elementType;
        }

        /**
         * Parses a type id such as {@code long} or {@code string[]}, ignoring case.
         *
         * @throws InvalidFleetInputException with field {@code type} for an unknown id
         */
        public static Type parse(String text) {
            return EnumIds.parse(text, Type.class, Type::id, "type", "value type");
        }

        public String id() {
            return id;
        }

        public boolean isArray() {
            return elementType != null;
        }

        /** Returns the type of the elements of an array type, or this type for a scalar type. */
        public Type elementType() {
            return isArray() ? elementType : this;
        }
    }

    private final Type type;

    /** String, Long, Double, Boolean, or an array that never leaves this object. */
    private final Object value;

    private final int hash;

    private ProfileValue(Type type, Object value) {
        this.type = type;
        this.value = value;
        this.hash = 31 * type.ordinal() + Arrays.deepHashCode(new Object[] {value});
    }

    /**
     * Converts a Java value to a profile value of the declared type, as decoded from JSON or
     * read from Configuration Admin.
     *
     * <p>A string takes a {@link String}. A long takes a {@link Long}, {@link Integer},
     * {@link Short} or {@link Byte}, or a {@link java.math.BigInteger} in the range of a long.
     * A double takes a finite {@link Double}, {@link Float} or {@link java.math.BigDecimal}, or
     * one of the whole-number types when a double represents it exactly. NaN and the
     * infinities are rejected because JSON cannot carry them. A boolean takes a
     * {@link Boolean}. An array type takes a {@link java.util.Collection} or a Java array whose
     * elements follow the rule of the element type. Nothing is parsed from text, so the string
     * {@code "8443"} is not a long.
     *
     * @throws InvalidFleetInputException with field {@code value} when the value is null, of
     *                                    the wrong type, out of range or too long
     */
    public static ProfileValue of(Type type, Object value) {
        Objects.requireNonNull(type, "type");
        return new ProfileValue(type, ValueConversion.convert(type, value));
    }

    public static ProfileValue ofString(String value) {
        return of(Type.STRING, value);
    }

    public static ProfileValue ofLong(long value) {
        return new ProfileValue(Type.LONG, value);
    }

    /** @throws InvalidFleetInputException for NaN and the infinities */
    public static ProfileValue ofDouble(double value) {
        return of(Type.DOUBLE, value);
    }

    public static ProfileValue ofBoolean(boolean value) {
        return new ProfileValue(Type.BOOLEAN, value);
    }

    public static ProfileValue ofStrings(String... values) {
        return of(Type.STRING_ARRAY, values);
    }

    public static ProfileValue ofLongs(long... values) {
        return of(Type.LONG_ARRAY, values);
    }

    public static ProfileValue ofDoubles(double... values) {
        return of(Type.DOUBLE_ARRAY, values);
    }

    public static ProfileValue ofBooleans(boolean... values) {
        return of(Type.BOOLEAN_ARRAY, values);
    }

    public Type type() {
        return type;
    }

    /** @throws IllegalStateException unless the type is {@code string} */
    public String asString() {
        return (String) valueOf(Type.STRING);
    }

    /** @throws IllegalStateException unless the type is {@code long} */
    public long asLong() {
        return (Long) valueOf(Type.LONG);
    }

    /** @throws IllegalStateException unless the type is {@code double} */
    public double asDouble() {
        return (Double) valueOf(Type.DOUBLE);
    }

    /** @throws IllegalStateException unless the type is {@code boolean} */
    public boolean asBoolean() {
        return (Boolean) valueOf(Type.BOOLEAN);
    }

    /** @throws IllegalStateException unless the type is {@code string[]} */
    public List<String> asStrings() {
        return List.of((String[]) valueOf(Type.STRING_ARRAY));
    }

    /**
     * Returns a copy of the elements.
     *
     * @throws IllegalStateException unless the type is {@code long[]}
     */
    public long[] asLongs() {
        return ((long[]) valueOf(Type.LONG_ARRAY)).clone();
    }

    /**
     * Returns a copy of the elements.
     *
     * @throws IllegalStateException unless the type is {@code double[]}
     */
    public double[] asDoubles() {
        return ((double[]) valueOf(Type.DOUBLE_ARRAY)).clone();
    }

    /**
     * Returns a copy of the elements.
     *
     * @throws IllegalStateException unless the type is {@code boolean[]}
     */
    public boolean[] asBooleans() {
        return ((boolean[]) valueOf(Type.BOOLEAN_ARRAY)).clone();
    }

    /**
     * Returns the value as Configuration Admin stores it: a {@link String}, {@link Long},
     * {@link Double} or {@link Boolean}, or a new {@code String[]}, {@code long[]},
     * {@code double[]} or {@code boolean[]}.
     */
    public Object toConfigurationValue() {
        return ValueConversion.copyOf(value);
    }

    private Object valueOf(Type expected) {
        if (type != expected) {
            throw new IllegalStateException("The profile value " + this + " is of type " + type.id()
                    + ", not " + expected.id() + ". Check type() before reading the value.");
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ProfileValue)) {
            return false;
        }
        ProfileValue that = (ProfileValue) other;
        return type == that.type && Objects.deepEquals(value, that.value);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Returns the value in JSON-like form, such as {@code 8443}, {@code "text"} or {@code [80, 443]}. */
    @Override
    public String toString() {
        return ValueConversion.render(value);
    }
}
