package io.weft.runtime.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class OpenSshPublicKeyTest {

    @Test
    void parsesEcdsaKeyWithComment() {
        String line = OpenSshKeys.newEcdsaP256Line("ops@example");

        OpenSshPublicKey key = OpenSshPublicKey.parse(line);

        assertThat(key.type()).isEqualTo("ecdsa-sha2-nistp256");
        assertThat(line.split(" ")[1]).isEqualTo(key.blob());
    }

    @Test
    void rejectsEd25519WithAdvice() {
        String line = OpenSshKeys.lineWithBlobType("ssh-ed25519", "ssh-ed25519");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpenSshPublicKey.parse(line))
                .withMessageContaining("'ssh-ed25519' is not supported")
                .withMessageContaining("ssh-keygen -t ecdsa");
    }

    @Test
    void rejectsBlobOfOtherType() {
        String line = OpenSshKeys.lineWithBlobType("ecdsa-sha2-nistp256", "ssh-rsa");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpenSshPublicKey.parse(line))
                .withMessage("the key blob is of type 'ssh-rsa' but the line says 'ecdsa-sha2-nistp256'");
    }

    @Test
    void rejectsInvalidBase64() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpenSshPublicKey.parse("ssh-rsa not*base64"))
                .withMessageStartingWith("the key field is not valid Base64");
    }

    @Test
    void rejectsTruncatedBlob() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpenSshPublicKey.parse("ssh-rsa AAAA"))
                .withMessage("the key blob has 3 bytes, too few to name its type; "
                        + "copy the whole line from the .pub file");
    }

    @Test
    void rejectsBlobWithOversizedTypeField() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpenSshPublicKey.parse("ssh-rsa AAAAEAAA"))
                .withMessageStartingWith("the key blob is malformed: its type field claims 16 bytes");
    }

    @Test
    void rejectsLineWithoutKey() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpenSshPublicKey.parse("ssh-rsa"))
                .withMessageContaining("expected 'type base64-key [comment]'");
    }
}
