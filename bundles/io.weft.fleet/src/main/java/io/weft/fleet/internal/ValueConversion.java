package io.weft.fleet.internal;

import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.InvalidFleetInputException.Rule;
import io.weft.fleet.ProfileValue;
import io.weft.fleet.ProfileValue.Type;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Conversion of Java values, as decoded from JSON or read from Configuration Admin, to the
 * canonical representation inside a {@link ProfileValue}: {@link String}, {@link Long},
 * {@link Double}, {@link Boolean}, {@code String[]}, {@code long[]}, {@code double[]} or
 * {@code boolean[]}. The rules are those documented on {@link ProfileValue#of}.
 */
public final class ValueConversion {

    private static final String FIELD = "value";

    /** Index passed for a scalar value, which has no position in an array. */
    private static final int SCALAR = -1;

    /** Largest magnitude up to which every whole number has an exact double, 2^53. */
    private static final long MAX_EXACT_DOUBLE = 1L << 53;

    private ValueConversion() {
    }

    /**
     * Returns the canonical representation of {@code raw} for {@code type}. An array result is
     * always a new array.
     *
     * @throws InvalidFleetInputException with field {@code value}
     */
    public static Object convert(Type type, Object raw) {
        if (type.isArray()) {
            return toArray(type, raw);
        }
        return toScalar(type, raw, SCALAR);
    }

    /** Returns the canonical representation itself, or a copy when it is an array. */
    public static Object copyOf(Object value) {
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            Object copy = Array.newInstance(value.getClass().getComponentType(), length);
            System.arraycopy(value, 0, copy, 0, length);
            return copy;
        }
        return value;
    }

    /** Renders a canonical value in JSON-like form: strings in double quotes, arrays in brackets. */
    public static String render(Object value) {
        if (!value.getClass().isArray()) {
            return renderScalar(value);
        }
        StringBuilder rendered = new StringBuilder("[");
        for (int i = 0; i < Array.getLength(value); i++) {
            rendered.append(i == 0 ? "" : ", ").append(renderScalar(Array.get(value, i)));
        }
        return rendered.append(']').toString();
    }

    private static String renderScalar(Object value) {
        if (value instanceof String) {
            return '"' + ((String) value).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return String.valueOf(value);
    }

    private static Object toScalar(Type type, Object raw, int index) {
        if (raw == null) {
            throw missing(index);
        }
        switch (type) {
            case STRING:
                return toText(raw, index);
            case LONG:
                return toLong(raw, index);
            case DOUBLE:
                return toDouble(raw, index);
            default:
                return toBoolean(raw, index);
        }
    }

    private static Object toArray(Type type, Object raw) {
        Object[] elements = elementsOf(type, raw);
        if (elements.length > ProfileValue.MAX_ARRAY_LENGTH) {
            throw new InvalidFleetInputException(FIELD, Rule.TOO_MANY, "Invalid profile value: the list has "
                    + elements.length + " elements, more than the maximum of " + ProfileValue.MAX_ARRAY_LENGTH
                    + ". Send fewer elements.");
        }

        Type elementType = type.elementType();
        Object array = Array.newInstance(primitiveClassOf(elementType), elements.length);
        for (int i = 0; i < elements.length; i++) {
            Array.set(array, i, toScalar(elementType, elements[i], i));
        }
        return array;
    }

    private static Object[] elementsOf(Type type, Object raw) {
        if (raw instanceof Collection) {
            return ((Collection<?>) raw).toArray();
        }
        if (raw != null && raw.getClass().isArray()) {
            Object[] elements = new Object[Array.getLength(raw)];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = Array.get(raw, i);
            }
            return elements;
        }
        if (raw == null) {
            throw missing(SCALAR);
        }
        throw wrongType(type, raw, SCALAR);
    }

    private static Class<?> primitiveClassOf(Type elementType) {
        switch (elementType) {
            case STRING:
                return String.class;
            case LONG:
                return long.class;
            case DOUBLE:
                return double.class;
            default:
                return boolean.class;
        }
    }

    private static String toText(Object raw, int index) {
        if (!(raw instanceof String)) {
            throw wrongType(Type.STRING, raw, index);
        }
        String text = (String) raw;
        if (text.length() > ProfileValue.MAX_STRING_LENGTH) {
            throw new InvalidFleetInputException(FIELD, Rule.TOO_LONG, "Invalid profile value" + atIndex(index)
                    + ": the string has " + text.length() + " characters, more than the maximum of "
                    + ProfileValue.MAX_STRING_LENGTH + ". Shorten it.");
        }
        return Inputs.requireWellFormedUnicode(text, FIELD, "profile value" + atIndex(index));
    }

    private static Long toLong(Object raw, int index) {
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof BigInteger) {
            return longOf((BigInteger) raw, index);
        }
        throw wrongType(Type.LONG, raw, index);
    }

    private static Long longOf(BigInteger number, int index) {
        if (number.bitLength() >= Long.SIZE) {
            throw new InvalidFleetInputException(FIELD, Rule.OUT_OF_RANGE, "Invalid profile value" + atIndex(index)
                    + ": the whole number " + number + " is outside the range of type long, "
                    + Long.MIN_VALUE + " to " + Long.MAX_VALUE + ". Send a smaller number, or declare type"
                    + " string.");
        }
        return number.longValue();
    }

    private static Double toDouble(Object raw, int index) {
        if (raw instanceof Double || raw instanceof Float || raw instanceof BigDecimal) {
            return finite(((Number) raw).doubleValue(), raw, index);
        }
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte
                || raw instanceof BigInteger) {
            return exactDouble((Number) raw, index);
        }
        throw wrongType(Type.DOUBLE, raw, index);
    }

    private static Double finite(double number, Object raw, int index) {
        if (!Double.isFinite(number)) {
            throw new InvalidFleetInputException(FIELD, Rule.OUT_OF_RANGE, "Invalid profile value" + atIndex(index)
                    + ": " + raw + " is not a finite double. Send a finite number.");
        }
        return number;
    }

    private static Double exactDouble(Number whole, int index) {
        boolean exact = whole instanceof BigInteger
                ? ((BigInteger) whole).abs().compareTo(BigInteger.valueOf(MAX_EXACT_DOUBLE)) <= 0
                : Math.abs(whole.longValue()) <= MAX_EXACT_DOUBLE && whole.longValue() != Long.MIN_VALUE;
        if (!exact) {
            throw new InvalidFleetInputException(FIELD, Rule.OUT_OF_RANGE, "Invalid profile value" + atIndex(index)
                    + ": the whole number " + whole + " has no exact double value. Send it as a decimal"
                    + " number, or declare type long.");
        }
        return whole.doubleValue();
    }

    private static Boolean toBoolean(Object raw, int index) {
        if (!(raw instanceof Boolean)) {
            throw wrongType(Type.BOOLEAN, raw, index);
        }
        return (Boolean) raw;
    }

    private static InvalidFleetInputException missing(int index) {
        if (index == SCALAR) {
            return new InvalidFleetInputException(FIELD, Rule.MISSING, "The profile value is missing."
                    + " Send a value, or remove the key explicitly to drop an inherited value.");
        }
        return new InvalidFleetInputException(FIELD, Rule.MISSING, "Invalid profile value: the element at index "
                + index + " is null. Send a value there or drop the element.");
    }

    private static InvalidFleetInputException wrongType(Type expected, Object raw, int index) {
        return new InvalidFleetInputException(FIELD, Rule.WRONG_TYPE, "Invalid profile value" + atIndex(index)
                + ": expected type " + expected.id() + " but got " + describe(raw) + ". " + hintFor(expected));
    }

    private static String atIndex(int index) {
        return index == SCALAR ? "" : " at index " + index;
    }

    private static String describe(Object raw) {
        if (raw instanceof String) {
            return "the string " + Inputs.quote((String) raw);
        }
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte
                || raw instanceof BigInteger) {
            return "the whole number " + raw;
        }
        if (raw instanceof Number) {
            return "the decimal number " + raw;
        }
        if (raw instanceof Boolean) {
            return "the boolean " + raw;
        }
        if (raw instanceof Collection || raw.getClass().isArray()) {
            return "a list";
        }
        if (raw instanceof Map) {
            return "an object";
        }
        return "a value of Java type " + raw.getClass().getName();
    }

    private static String hintFor(Type expected) {
        switch (expected) {
            case STRING:
                return "Send text in quotes.";
            case LONG:
                return "Send a whole number without quotes or decimal point, such as 8443.";
            case DOUBLE:
                return "Send a number without quotes, such as 0.75.";
            case BOOLEAN:
                return "Send true or false without quotes.";
            case STRING_ARRAY:
                return "Send a list of strings, such as [\"a\", \"b\"].";
            case LONG_ARRAY:
                return "Send a list of whole numbers, such as [80, 443].";
            case DOUBLE_ARRAY:
                return "Send a list of numbers, such as [0.5, 1.5].";
            default:
                return "Send a list of booleans, such as [true, false].";
        }
    }
}
