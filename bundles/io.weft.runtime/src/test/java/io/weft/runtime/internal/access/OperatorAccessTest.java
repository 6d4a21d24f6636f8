package io.weft.runtime.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorAccessTest {

    private static final String GROUPS_ONLY = "# comment\n_g_\\:admingroup = group,admin,ssh\n";

    @TempDir
    Path etc;

    private OperatorAccess access;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(etc.resolve(OperatorAccess.USERS_FILE), GROUPS_ONLY);
        Files.writeString(etc.resolve(OperatorAccess.KEYS_FILE), GROUPS_ONLY);
        access = new OperatorAccess(etc, "admin", "admingroup", new SecureRandom());
    }

    @Test
    void firstStartWritesOwnerOnlyPasswordAndDigest() throws IOException {
        OperatorAccess.Outcome outcome = access.provisionIfNeeded();

        assertThat(outcome.provisioned()).isTrue();
        Path passwordFile = etc.resolve(OperatorAccess.PASSWORD_FILE);
        String password = Files.readString(passwordFile).trim();
        assertThat(password).hasSize(24).matches("[A-Za-z0-9_-]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        assertThat(Files.readString(etc.resolve(OperatorAccess.USERS_FILE)))
                .startsWith(GROUPS_ONLY)
                .endsWith("admin = " + OperatorAccess.digest(password) + ",_g_:admingroup\n");
        assertThat(Files.readString(etc.resolve(OperatorAccess.KEYS_FILE))).isEqualTo(GROUPS_ONLY);
        assertThat(outcome.publicKeyFile()).isEmpty();
    }

    @Test
    void digestMatchesKarafBasicEncryptionFormat() {
        String digest = OperatorAccess.digest("secret");

        assertThat(digest).isEqualTo("{CRYPT}BD2B1AAF7EF4F09BE9F52CE2D8D599674D81AA9D6A4421696DC4D93DD0619D68"
                + "2CE56B4D64A9EF097761CED99E0F67265B5F76085E5B0EE7CA4696B2AD6FE2B2{CRYPT}");
    }

    @Test
    void publicKeyIsAuthorizedForTheUser() throws IOException {
        String line = OpenSshKeys.newEcdsaP256Line("ops@example");
        Files.writeString(etc.resolve(OperatorAccess.PUBLIC_KEY_FILE), "# operator key\n" + line + "\n");

        OperatorAccess.Outcome outcome = access.provisionIfNeeded();

        assertThat(outcome.publicKeyFile()).contains(etc.resolve(OperatorAccess.PUBLIC_KEY_FILE));
        assertThat(Files.readString(etc.resolve(OperatorAccess.KEYS_FILE)))
                .endsWith("admin = " + line.split(" ")[1] + ",_g_:admingroup\n");
    }

    @Test
    void existingAccountIsLeftAlone() throws IOException {
        String users = GROUPS_ONLY + "ops = {CRYPT}00{CRYPT},_g_:admingroup\n";
        Files.writeString(etc.resolve(OperatorAccess.USERS_FILE), users);

        OperatorAccess.Outcome outcome = access.provisionIfNeeded();

        assertThat(outcome.provisioned()).isFalse();
        assertThat(Files.readString(etc.resolve(OperatorAccess.USERS_FILE))).isEqualTo(users);
        assertThat(etc.resolve(OperatorAccess.PASSWORD_FILE)).doesNotExist();
    }

    @Test
    void secondRunChangesNothing() throws IOException {
        access.provisionIfNeeded();
        String users = Files.readString(etc.resolve(OperatorAccess.USERS_FILE));
        String password = Files.readString(etc.resolve(OperatorAccess.PASSWORD_FILE));

        OperatorAccess.Outcome outcome = access.provisionIfNeeded();

        assertThat(outcome.provisioned()).isFalse();
        assertThat(Files.readString(etc.resolve(OperatorAccess.USERS_FILE))).isEqualTo(users);
        assertThat(Files.readString(etc.resolve(OperatorAccess.PASSWORD_FILE))).isEqualTo(password);
    }

    @Test
    void leftoverPasswordFileIsReused() throws IOException {
        String leftover = "AAAAbbbbCCCCddddEEEEffff";
        writeOwnerOnly(etc.resolve(OperatorAccess.PASSWORD_FILE), leftover + "\n");

        access.provisionIfNeeded();

        assertThat(Files.readString(etc.resolve(OperatorAccess.USERS_FILE)))
                .contains("admin = " + OperatorAccess.digest(leftover));
    }

    @Test
    void readableLeftoverPasswordFileIsRejected() throws IOException {
        Path passwordFile = etc.resolve(OperatorAccess.PASSWORD_FILE);
        Files.writeString(passwordFile, "AAAAbbbbCCCCddddEEEEffff\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatIllegalArgumentException()
                .isThrownBy(access::provisionIfNeeded)
                .withMessageContaining("is readable by other users (rw-r--r--)");
        assertThat(Files.readString(etc.resolve(OperatorAccess.USERS_FILE))).isEqualTo(GROUPS_ONLY);
    }

    @Test
    void symlinkedPasswordFileIsRejected() throws IOException {
        Path elsewhere = Files.writeString(etc.resolve("elsewhere"), "AAAAbbbbCCCCddddEEEEffff\n");
        Files.createSymbolicLink(etc.resolve(OperatorAccess.PASSWORD_FILE), elsewhere);

        assertThatIllegalArgumentException()
                .isThrownBy(access::provisionIfNeeded)
                .withMessageContaining("is not a regular file");
    }

    @Test
    void shortLeftoverPasswordFileIsRejected() throws IOException {
        writeOwnerOnly(etc.resolve(OperatorAccess.PASSWORD_FILE), "short\n");

        assertThatIllegalArgumentException()
                .isThrownBy(access::provisionIfNeeded)
                .withMessageContaining(OperatorAccess.PASSWORD_FILE)
                .withMessageContaining("delete it and restart");
        assertThat(Files.readString(etc.resolve(OperatorAccess.USERS_FILE))).isEqualTo(GROUPS_ONLY);
    }

    @Test
    void invalidPublicKeyFailsBeforeAnyWrite() throws IOException {
        Files.writeString(etc.resolve(OperatorAccess.PUBLIC_KEY_FILE),
                OpenSshKeys.lineWithBlobType("ssh-ed25519", "ssh-ed25519") + "\n");

        assertThatIllegalArgumentException()
                .isThrownBy(access::provisionIfNeeded)
                .withMessageStartingWith("Invalid public key in " + etc.resolve(OperatorAccess.PUBLIC_KEY_FILE))
                .withMessageContaining("'ssh-ed25519' is not supported");
        assertThat(etc.resolve(OperatorAccess.PASSWORD_FILE)).doesNotExist();
        assertThat(Files.readString(etc.resolve(OperatorAccess.USERS_FILE))).isEqualTo(GROUPS_ONLY);
    }

    @Test
    void twoPublicKeysAreRejected() throws IOException {
        Files.writeString(etc.resolve(OperatorAccess.PUBLIC_KEY_FILE),
                OpenSshKeys.newEcdsaP256Line("a") + "\n" + OpenSshKeys.newEcdsaP256Line("b") + "\n",
                StandardCharsets.US_ASCII);

        assertThatIllegalArgumentException()
                .isThrownBy(access::provisionIfNeeded)
                .withMessageContaining("must contain exactly one public key line but contains 2");
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
