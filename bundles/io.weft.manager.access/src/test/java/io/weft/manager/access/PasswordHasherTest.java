package io.weft.manager.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordHasherTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    /** Printed by the reference implementation: argon2 weft-test-salt-1 -id -t 2 -m 10 -p 1 -l 32 -e. */
    private static final String REFERENCE_HASH =
            "$argon2id$v=19$m=1024,t=2,p=1$d2VmdC10ZXN0LXNhbHQtMQ$Coc+SC97miseXExJWcSTtezRT7XgBEQrgzFWwSZoCcs";
    /** Printed by the reference implementation for "password": argon2 somesalt -id -t 2 -k 65536 -p 4 -l 32 -e. */
    private static final String REFERENCE_HASH_FOUR_LANES =
            "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo";

    private final PasswordHasher hasher = new PasswordHasher(new SecureRandom());

    @Test
    void hashVerifiesRoundTrip() {
        String stored = hasher.hash(PASSWORD);

        assertThat(stored).startsWith("$argon2id$v=19$m=65536,t=2,p=1$");
        assertThat(hasher.verify(PASSWORD, stored)).isTrue();
        assertThat(hasher.needsRehash(stored)).isFalse();
    }

    @Test
    void hashRejectsWrongPassword() {
        String stored = hasher.hash(PASSWORD);

        assertThat(hasher.verify("correct horse battery stapler".toCharArray(), stored)).isFalse();
        assertThat(hasher.verify(new char[0], stored)).isFalse();
    }

    @Test
    void hashUsesNewSaltEachTime() {
        String first = hasher.hash(PASSWORD);
        String second = hasher.hash(PASSWORD);

        assertThat(first).isNotEqualTo(second);
        assertThat(hasher.verify(PASSWORD, second)).isTrue();
    }

    @Test
    void verifyMatchesReferenceImplementation() {
        assertThat(hasher.verify(PASSWORD, REFERENCE_HASH)).isTrue();
        assertThat(hasher.verify("password".toCharArray(), REFERENCE_HASH_FOUR_LANES)).isTrue();
        assertThat(hasher.verify("Password".toCharArray(), REFERENCE_HASH_FOUR_LANES)).isFalse();
    }

    @Test
    void oldParametersVerifyAndNeedRehash() {
        PasswordHasher old = new PasswordHasher(new SecureRandom(), 19_456, 2, 1);
        String stored = old.hash(PASSWORD);

        assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify(PASSWORD, stored)).isTrue();
        assertThat(hasher.needsRehash(stored)).isTrue();
        assertThat(hasher.needsRehash(REFERENCE_HASH)).isTrue();
        assertThat(hasher.needsRehash(REFERENCE_HASH_FOUR_LANES)).isTrue();
    }

    @Test
    void verifyNormalizesUnicode() {
        String composed = "caf\u00e9 au lait noir";
        String decomposed = "cafe\u0301 au lait noir";

        String stored = hasher.hash(composed.toCharArray());

        assertThat(hasher.verify(decomposed.toCharArray(), stored)).isTrue();
    }

    @Test
    void hashRejectsUnpairedSurrogate() {
        char[] password = "twelve chars\ud800".toCharArray();

        assertThatThrownBy(() -> hasher.hash(password))
                .isInstanceOf(InvalidAccessInputException.class)
                .hasMessage("The password is not valid Unicode: it contains an unpaired UTF-16 surrogate.");
        assertThat(hasher.verify(password, REFERENCE_HASH)).isFalse();
    }

    @Test
    void unknownAccountNeverVerifies() {
        assertThat(hasher.verifyUnknownAccount(PASSWORD)).isFalse();
        assertThat(hasher.verifyUnknownAccount("twelve chars\ud800".toCharArray())).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"                                                       | expected 5 fields, each after a '$', but found 0",
        "argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | expected 5 fields, each after a '$', but found 4",
        "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ                | expected 5 fields, each after a '$', but found 4",
        "$argon2i$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | the algorithm is 'argon2i' instead of 'argon2id'",
        "$2b$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA      | the algorithm is '2b' instead of 'argon2id'",
        "$argon2id$v=16$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | the version field is 'v=16' instead of 'v=19'",
        "$argon2id$v=19$t=2,m=1024,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | the parameters 't=2,m=1024,p=1' are not of the form",
        "$argon2id$v=19$m=1024,t=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA     | the parameters 'm=1024,t=2' are not of the form",
        "$argon2id$v=19$m=-1,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA   | the parameters 'm=-1,t=2,p=1' are not of the form",
        "$argon2id$v=19$m=01024,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | the parameter m=01024 has a leading zero",
        "$argon2id$v=19$m=1024,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | the parameter t=0 is outside the accepted range 1 to 10",
        "$argon2id$v=19$m=1024,t=11,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | the parameter t=11 is outside the accepted range 1 to 10",
        "$argon2id$v=19$m=1024,t=2,p=9$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | the parameter p=9 is outside the accepted range 1 to 8",
        "$argon2id$v=19$m=31,t=2,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA   | the parameter m=31 is outside the accepted range 32 to 262144",
        "$argon2id$v=19$m=262145,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | the parameter m=262145 is outside the accepted range 8 to 262144",
        "$argon2id$v=19$m=9999999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | the parameter m=9999999999 is outside the accepted range",
        "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA | the salt is not Base64 without padding",
        "$argon2id$v=19$m=1024,t=2,p=1$c2Fs*HNhbHQ$aGFzaGhhc2hoYXNoaGFzaA | the salt is not Base64 without padding",
        "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHR$aGFzaGhhc2hoYXNoaGFzaA | the salt is not in canonical Base64",
        "$argon2id$v=19$m=1024,t=2,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA      | the salt has 4 bytes, outside the accepted range 8 to 64",
        "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaA                 | the hash has 4 bytes, outside the accepted range 16 to 64",
        "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$                       | the hash has 0 bytes, outside the accepted range 16 to 64",
        "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA$ | expected 5 fields, each after a '$', but found 6",
    })
    void verifyRejectsMalformedHash(String stored, String reason) {
        assertThatThrownBy(() -> hasher.verify(PASSWORD, stored))
                .isInstanceOf(MalformedPasswordHashException.class)
                .hasMessageStartingWith("Invalid Argon2id password hash: " + reason);
        assertThatThrownBy(() -> hasher.needsRehash(stored))
                .isInstanceOf(MalformedPasswordHashException.class);
    }

    @Test
    void malformedHashMessageOmitsSaltAndHash() {
        String stored = "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaA";

        assertThatThrownBy(() -> hasher.verify(PASSWORD, stored))
                .hasMessageNotContaining("c2FsdHNhbHQ")
                .hasMessageNotContaining("aGFzaA");
    }

    @Test
    void verifyRejectsNullHash() {
        assertThatThrownBy(() -> hasher.verify(PASSWORD, null))
                .isInstanceOf(MalformedPasswordHashException.class)
                .hasMessage("Invalid Argon2id password hash: it is null.");
    }
}
