package io.weft.manager.access;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    @Test
    void acceptsTwelveCharacters() {
        assertThatCode(() -> PasswordPolicy.check("alice", "twelve chars".toCharArray())).doesNotThrowAnyException();
    }

    @Test
    void rejectsElevenCharacters() {
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "eleven char".toCharArray()))
                .isInstanceOf(InvalidAccessInputException.class)
                .hasMessage("The password has 11 characters, fewer than the minimum of 12. Choose a longer one;"
                        + " a phrase of several words is easy to remember.")
                .extracting(e -> ((InvalidAccessInputException) e).field()).isEqualTo("password");
    }

    @Test
    void countsCodePoints() {
        String elevenEmoji = "\ud83d\udd11".repeat(11);

        assertThatThrownBy(() -> PasswordPolicy.check("alice", elevenEmoji.toCharArray()))
                .hasMessageStartingWith("The password has 11 characters, fewer than the minimum of 12.");
        assertThatCode(() -> PasswordPolicy.check("alice", (elevenEmoji + "!").toCharArray()))
                .doesNotThrowAnyException();
    }

    @Test
    void countsAfterNormalization() {
        String decomposed = "cafe\u0301 noir!!";

        assertThatThrownBy(() -> PasswordPolicy.check("alice", decomposed.toCharArray()))
                .hasMessageStartingWith("The password has 11 characters");
    }

    @Test
    void rejectsMissingPassword() {
        assertThatThrownBy(() -> PasswordPolicy.check("alice", new char[0]))
                .hasMessage("Missing password. Choose one of at least 12 characters.");
        assertThatThrownBy(() -> PasswordPolicy.check("alice", null))
                .hasMessage("Missing password. Choose one of at least 12 characters.");
    }

    @Test
    void rejectsOverMaximum() {
        char[] password = "a".repeat(1025).toCharArray();

        assertThatThrownBy(() -> PasswordPolicy.check("alice", password))
                .hasMessage("The password has 1025 characters, more than the maximum of 1024.");
    }

    @Test
    void rejectsUserName() {
        assertThatThrownBy(() -> PasswordPolicy.check("operator.east", "Operator.East".toCharArray()))
                .hasMessage("The password equals the user name. Choose another one.");
    }

    @Test
    void rejectsControlCharacter() {
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "first line\nsecond".toCharArray()))
                .hasMessage("The password contains a control character, such as a line break or tab, at position"
                        + " 11. Use printable characters and spaces.");
    }

    @Test
    void rejectsUnpairedSurrogate() {
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "twelve chars\udc00".toCharArray()))
                .hasMessage("The password is not valid Unicode: it contains an unpaired UTF-16 surrogate.");
    }

    @Test
    void messageOmitsPassword() {
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "s3cr3t-x".toCharArray()))
                .hasMessageNotContaining("s3cr3t");
    }
}
