package io.weft.fleet;

import static io.weft.fleet.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fleet.InvalidFleetInputException.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"org.ops4j.pax.web", "io.weft.mesh~gateway", "io.weft.mesh~gw.east-1",
        "org.apache.karaf.shell", "MyPid", "a_b-c", "org.ops4j.pax.logging"})
    void acceptsValidPids(String pid) {
        assertThat(ProfileNames.requireValidPid(pid)).isEqualTo(pid);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "io..weft      | it has an empty segment before, between or after its dots."
                + " Write a dotted name such as 'io.weft.mesh'.",
        ".io.weft      | it has an empty segment before, between or after its dots.",
        "io.weft.      | it has an empty segment before, between or after its dots.",
        "io.weft mesh  | it contains ' ' (U+0020). A PID may contain only letters, digits, '_', '-' and '.',"
                + " and one '~' before the name of a factory configuration.",
        "io/weft       | it contains '/'.",
        "io.weft~      | the factory configuration name after '~' is empty."
                + " Write '<factoryPid>~<name>', such as 'io.weft.mesh~gateway'.",
        "~gateway      | it has an empty segment before, between or after its dots.",
        "io.weft~a~b   | its factory configuration name contains '~'."
                + " The name after '~' may contain only letters, digits, '_', '-' and '.'.",
    })
    void rejectsInvalidPids(String pid, String problem) {
        InvalidFleetInputException rejected = rejection(() -> ProfileNames.requireValidPid(pid));

        assertThat(rejected.field()).isEqualTo("pid");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).startsWith("Invalid PID '" + pid + "': " + problem);
    }

    @Test
    void rejectsPidOver255Characters() {
        InvalidFleetInputException rejected = rejection(() -> ProfileNames.requireValidPid("p".repeat(256)));

        assertThat(rejected.field()).isEqualTo("pid");
        assertThat(rejected.rule()).isEqualTo(Rule.TOO_LONG);
    }

    @Test
    void rejectsMissingPid() {
        InvalidFleetInputException rejected = rejection(() -> ProfileNames.requireValidPid(null));

        assertThat(rejected.field()).isEqualTo("pid");
        assertThat(rejected.rule()).isEqualTo(Rule.MISSING);
        assertThat(rejected.getMessage()).isEqualTo("The PID is missing. Send a non-empty PID.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"port", "sshPort", "org.osgi.service.http.port", "install[/.*(-i|--install).*/]"})
    void acceptsValidKeys(String key) {
        assertThat(ProfileNames.requireValidKey(key)).isEqualTo(key);
    }

    @Test
    void rejectsKeyWithSpace() {
        InvalidFleetInputException rejected = rejection(() -> ProfileNames.requireValidKey("ssh port"));

        assertThat(rejected.field()).isEqualTo("key");
        assertThat(rejected.rule()).isEqualTo(Rule.INVALID_FORMAT);
        assertThat(rejected.getMessage()).isEqualTo("Invalid property key 'ssh port': it contains ' ' (U+0020). A key"
                + " may contain only printable ASCII characters other than space.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"service.pid", "service.factoryPid", "SERVICE.BUNDLELOCATION"})
    void rejectsReservedKeys(String key) {
        InvalidFleetInputException rejected = rejection(() -> ProfileNames.requireValidKey(key));

        assertThat(rejected.field()).isEqualTo("key");
        assertThat(rejected.rule()).isEqualTo(Rule.RESERVED);
        assertThat(rejected.getMessage()).isEqualTo("Invalid property key '" + key + "': Configuration Admin sets this"
                + " key itself. Remove it from the profile.");
    }

    @Test
    void rejectsKeyOver255Characters() {
        InvalidFleetInputException rejected = rejection(() -> ProfileNames.requireValidKey("k".repeat(256)));

        assertThat(rejected.rule()).isEqualTo(Rule.TOO_LONG);
    }
}
