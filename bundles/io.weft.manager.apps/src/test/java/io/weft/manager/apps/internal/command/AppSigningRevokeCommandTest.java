package io.weft.manager.apps.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.weft.manager.apps.internal.SigningDtos.SigningCertificateDto;
import io.weft.manager.apps.internal.SigningDtos.SigningRevocationDto;

class AppSigningRevokeCommandTest {

    private static final SigningCertificateDto CERTIFICATE = new SigningCertificateDto("b2", "CN=Weft app repository",
            "2027-12-05T00:00:00Z", "");

    @Test
    void printsSerialsAndCount() {
        String output = print(new SigningRevocationDto("a1", CERTIFICATE, 3, List.of()));

        assertThat(output).contains("Revoked signing certificate a1")
                .contains("New signing certificate     b2, valid until 2027-12-05T00:00:00Z")
                .contains("Versions signed again       3")
                .doesNotContain("Not signed again");
    }

    @Test
    void printsFailedVersions() {
        String output = print(new SigningRevocationDto("a1", CERTIFICATE, 1, List.of("org.example.hello 1.0.0")));

        assertThat(output).contains("Not signed again").contains("org.example.hello 1.0.0");
    }

    private static String print(SigningRevocationDto revocation) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AppSigningRevokeCommand.print(revocation, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
