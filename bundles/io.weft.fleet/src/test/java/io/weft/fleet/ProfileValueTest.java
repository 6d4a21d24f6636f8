package io.weft.fleet;

import static io.weft.fleet.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.weft.fleet.InvalidFleetInputException.Rule;
import io.weft.fleet.ProfileValue.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProfileValueTest {

    @Test
    void factoriesSetType() {
        assertThat(ProfileValue.ofString("x").type()).isEqualTo(Type.STRING);
        assertThat(ProfileValue.ofLong(1).type()).isEqualTo(Type.LONG);
        assertThat(ProfileValue.ofDouble(0.5).type()).isEqualTo(Type.DOUBLE);
        assertThat(ProfileValue.ofBoolean(true).type()).isEqualTo(Type.BOOLEAN);
        assertThat(ProfileValue.ofStrings("a").type()).isEqualTo(Type.STRING_ARRAY);
        assertThat(ProfileValue.ofLongs(1).type()).isEqualTo(Type.LONG_ARRAY);
        assertThat(ProfileValue.ofDoubles(0.5).type()).isEqualTo(Type.DOUBLE_ARRAY);
        assertThat(ProfileValue.ofBooleans(true).type()).isEqualTo(Type.BOOLEAN_ARRAY);
    }

    @Test
    void accessorsReturnValues() {
        assertThat(ProfileValue.ofString("x").asString()).isEqualTo("x");
        assertThat(ProfileValue.ofLong(8443).asLong()).isEqualTo(8443L);
        assertThat(ProfileValue.ofDouble(0.5).asDouble()).isEqualTo(0.5);
        assertThat(ProfileValue.ofBoolean(true).asBoolean()).isTrue();
        assertThat(ProfileValue.ofStrings("a", "b").asStrings()).containsExactly("a", "b");
        assertThat(ProfileValue.ofLongs(80, 443).asLongs()).containsExactly(80, 443);
        assertThat(ProfileValue.ofDoubles(0.5, 1.5).asDoubles()).containsExactly(0.5, 1.5);
        assertThat(ProfileValue.ofBooleans(true, false).asBooleans()).containsExactly(true, false);
    }

    @Test
    void wrongAccessorNamesBothTypes() {
        ProfileValue value = ProfileValue.ofLong(8443);

        assertThatIllegalStateException()
                .isThrownBy(value::asString)
                .withMessage("The profile value 8443 is of type long, not string. Check type() before reading the value.");
    }

    @Test
    void arraysAreCopiedInAndOut() {
        long[] ports = {80, 443};
        ProfileValue value = ProfileValue.ofLongs(ports);

        ports[0] = 1;
        value.asLongs()[1] = 2;
        ((long[]) value.toConfigurationValue())[1] = 3;

        assertThat(value.asLongs()).containsExactly(80, 443);
    }

    @Test
    void equalityNeedsSameType() {
        assertThat(ProfileValue.ofLongs(80, 443)).isEqualTo(ProfileValue.ofLongs(80, 443));
        assertThat(ProfileValue.ofLongs(80, 443).hashCode()).isEqualTo(ProfileValue.ofLongs(80, 443).hashCode());
        assertThat(ProfileValue.ofLong(1)).isNotEqualTo(ProfileValue.ofDouble(1.0));
        assertThat(ProfileValue.ofStrings("a")).isNotEqualTo(ProfileValue.ofString("a"));
    }

    @Test
    void toStringRendersJsonLike() {
        assertThat(ProfileValue.ofString("say \"hi\"")).hasToString("\"say \\\"hi\\\"\"");
        assertThat(ProfileValue.ofLongs(80, 443)).hasToString("[80, 443]");
        assertThat(ProfileValue.ofStrings("a", "b")).hasToString("[\"a\", \"b\"]");
        assertThat(ProfileValue.ofBoolean(false)).hasToString("false");
    }

    @Test
    void configurationValueUsesConfigAdminTypes() {
        assertThat(ProfileValue.ofLong(8443).toConfigurationValue()).isEqualTo(8443L);
        assertThat(ProfileValue.ofStrings("a").toConfigurationValue()).isEqualTo(new String[] {"a"});
        assertThat(ProfileValue.ofBooleans(true).toConfigurationValue()).isInstanceOf(boolean[].class);
    }

    static Stream<Arguments> acceptedConversions() {
        return Stream.of(
                Arguments.of(Type.LONG, 8443, ProfileValue.ofLong(8443)),
                Arguments.of(Type.LONG, (short) 7, ProfileValue.ofLong(7)),
                Arguments.of(Type.LONG, BigInteger.valueOf(Long.MAX_VALUE), ProfileValue.ofLong(Long.MAX_VALUE)),
                Arguments.of(Type.DOUBLE, 2, ProfileValue.ofDouble(2.0)),
                Arguments.of(Type.DOUBLE, 0.5f, ProfileValue.ofDouble(0.5)),
                Arguments.of(Type.DOUBLE, new BigDecimal("1.25"), ProfileValue.ofDouble(1.25)),
                Arguments.of(Type.DOUBLE, 1L << 53, ProfileValue.ofDouble(9007199254740992.0)),
                Arguments.of(Type.STRING_ARRAY, List.of("a", "b"), ProfileValue.ofStrings("a", "b")),
                Arguments.of(Type.LONG_ARRAY, List.of(80, 443L), ProfileValue.ofLongs(80, 443)),
                Arguments.of(Type.LONG_ARRAY, new Integer[] {80}, ProfileValue.ofLongs(80)),
                Arguments.of(Type.DOUBLE_ARRAY, new int[] {1, 2}, ProfileValue.ofDoubles(1.0, 2.0)),
                Arguments.of(Type.BOOLEAN_ARRAY, List.of(), ProfileValue.ofBooleans()));
    }

    @ParameterizedTest
    @MethodSource("acceptedConversions")
    void ofConvertsCompatibleValues(Type type, Object raw, ProfileValue expected) {
        assertThat(ProfileValue.of(type, raw)).isEqualTo(expected);
    }

    static Stream<Arguments> rejectedConversions() {
        return Stream.of(
                Arguments.of(Type.LONG, "8443", Rule.WRONG_TYPE, "Invalid profile value: expected type long but got the"
                        + " string '8443'. Send a whole number without quotes or decimal point, such as 8443."),
                Arguments.of(Type.LONG, 8443.0, Rule.WRONG_TYPE, "Invalid profile value: expected type long but got the"
                        + " decimal number 8443.0. Send a whole number without quotes or decimal point, such as 8443."),
                Arguments.of(Type.STRING, 5, Rule.WRONG_TYPE, "Invalid profile value: expected type string but got the"
                        + " whole number 5. Send text in quotes."),
                Arguments.of(Type.BOOLEAN, "true", Rule.WRONG_TYPE, "Invalid profile value: expected type boolean but"
                        + " got the string 'true'. Send true or false without quotes."),
                Arguments.of(Type.DOUBLE, Map.of(), Rule.WRONG_TYPE, "Invalid profile value: expected type double but"
                        + " got an object. Send a number without quotes, such as 0.75."),
                Arguments.of(Type.LONG, List.of(1), Rule.WRONG_TYPE, "Invalid profile value: expected type long but"
                        + " got a list. Send a whole number without quotes or decimal point, such as 8443."),
                Arguments.of(Type.LONG_ARRAY, 80, Rule.WRONG_TYPE, "Invalid profile value: expected type long[] but"
                        + " got the whole number 80. Send a list of whole numbers, such as [80, 443]."),
                Arguments.of(Type.LONG_ARRAY, List.of(80, "443"), Rule.WRONG_TYPE, "Invalid profile value at index 1:"
                        + " expected type long but got the string '443'. Send a whole number without quotes or"
                        + " decimal point, such as 8443."),
                Arguments.of(Type.STRING_ARRAY, Arrays.asList("a", null), Rule.MISSING, "Invalid profile value: the"
                        + " element at index 1 is null. Send a value there or drop the element."),
                Arguments.of(Type.STRING, null, Rule.MISSING, "The profile value is missing. Send a value, or remove"
                        + " the key explicitly to drop an inherited value."),
                Arguments.of(Type.DOUBLE, Double.NaN, Rule.OUT_OF_RANGE, "Invalid profile value: NaN is not a finite"
                        + " double. Send a finite number."),
                Arguments.of(Type.DOUBLE_ARRAY, new double[] {1, Double.POSITIVE_INFINITY}, Rule.OUT_OF_RANGE,
                        "Invalid profile value at index 1: Infinity is not a finite double. Send a finite number."),
                Arguments.of(Type.DOUBLE, (1L << 53) + 1, Rule.OUT_OF_RANGE, "Invalid profile value: the whole number"
                        + " 9007199254740993 has no exact double value. Send it as a decimal number, or declare type long."),
                Arguments.of(Type.LONG, BigInteger.ONE.shiftLeft(63), Rule.OUT_OF_RANGE, "Invalid profile value: the"
                        + " whole number 9223372036854775808 is outside the range of type long, -9223372036854775808"
                        + " to 9223372036854775807. Send a smaller number, or declare type string."));
    }

    @ParameterizedTest
    @MethodSource("rejectedConversions")
    void ofRejectsIncompatibleValues(Type type, Object raw, Rule rule, String message) {
        InvalidFleetInputException rejected = rejection(() -> ProfileValue.of(type, raw));

        assertThat(rejected.field()).isEqualTo("value");
        assertThat(rejected.rule()).isEqualTo(rule);
        assertThat(rejected.getMessage()).isEqualTo(message);
    }

    @Test
    void rejectsStringOverMaximumLength() {
        String text = "x".repeat(ProfileValue.MAX_STRING_LENGTH + 1);

        InvalidFleetInputException rejected = rejection(() -> ProfileValue.ofString(text));

        assertThat(rejected.rule()).isEqualTo(Rule.TOO_LONG);
        assertThat(rejected.getMessage()).isEqualTo("Invalid profile value: the string has 65537 characters, more than"
                + " the maximum of 65536. Shorten it.");
    }

    @Test
    void rejectsArrayOverMaximumLength() {
        long[] values = new long[ProfileValue.MAX_ARRAY_LENGTH + 1];

        InvalidFleetInputException rejected = rejection(() -> ProfileValue.ofLongs(values));

        assertThat(rejected.rule()).isEqualTo(Rule.TOO_MANY);
        assertThat(rejected.getMessage()).isEqualTo("Invalid profile value: the list has 4097 elements, more than the"
                + " maximum of 4096. Send fewer elements.");
    }

    @Test
    void typeParsesApiIds() {
        assertThat(Type.parse("long[]")).isEqualTo(Type.LONG_ARRAY);
        assertThat(Type.parse("STRING")).isEqualTo(Type.STRING);
        assertThat(Type.LONG_ARRAY.elementType()).isEqualTo(Type.LONG);
        assertThat(Type.LONG.elementType()).isEqualTo(Type.LONG);
    }

    @Test
    void typeParseListsValidIds() {
        InvalidFleetInputException rejected = rejection(() -> Type.parse("int"));

        assertThat(rejected.field()).isEqualTo("type");
        assertThat(rejected.rule()).isEqualTo(Rule.UNKNOWN_VALUE);
        assertThat(rejected.getMessage()).isEqualTo("Unknown value type 'int'. Use one of: string, long, double, boolean,"
                + " string[], long[], double[], boolean[].");
    }

    @Test
    void unpairedSurrogateInStringRejected() {
        InvalidFleetInputException rejected = Rejections.rejection(
                () -> ProfileValue.of(ProfileValue.Type.STRING, "\udc00"));

        assertThat(rejected.rule()).isEqualTo(InvalidFleetInputException.Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).contains("unpaired UTF-16 surrogate U+DC00");
    }
}
