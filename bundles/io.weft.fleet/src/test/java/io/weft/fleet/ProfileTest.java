package io.weft.fleet;

import static io.weft.fleet.Rejections.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.weft.fleet.InvalidFleetInputException.Rule;
import org.junit.jupiter.api.Test;

class ProfileTest {

    private static final String MESH = "io.weft.mesh";
    private static final String WEB = "org.ops4j.pax.web";
    private static final ProfileValue PORT_8443 = ProfileValue.ofLong(8443);

    @Test
    void builderCollectsValuesAndRemovals() {
        Profile profile = Profile.builder()
                .set(MESH, "port", PORT_8443)
                .remove(MESH, "host")
                .set(WEB, "org.osgi.service.http.port", ProfileValue.ofLong(8181))
                .build();

        assertThat(profile.pids()).containsExactly(MESH, WEB);
        assertThat(profile.size()).isEqualTo(3);
        assertThat(profile.entry(MESH, "port").flatMap(ProfileEntry::value)).contains(PORT_8443);
        assertThat(profile.entry(MESH, "host").map(ProfileEntry::isRemoval)).contains(true);
        assertThat(profile.entries(MESH)).extracting(ProfileEntry::key).containsExactly("host", "port");
    }

    @Test
    void builderRejectsKeyInOtherCase() {
        Profile.Builder builder = Profile.builder().set(MESH, "sshPort", PORT_8443);

        InvalidFleetInputException rejected = rejection(() -> builder.set(MESH, "sshport", PORT_8443));

        assertThat(rejected.field()).isEqualTo("key");
        assertThat(rejected.rule()).isEqualTo(Rule.DUPLICATE);
        assertThat(rejected.getMessage()).isEqualTo("Duplicate key 'sshport' under PID 'io.weft.mesh': the profile already"
                + " has 'sshPort', and Configuration Admin treats keys that differ only in case as the same key."
                + " Keep one entry for the key.");
    }

    @Test
    void builderRejectsRemovalOfSetKey() {
        Profile.Builder builder = Profile.builder().set(MESH, "port", PORT_8443);

        InvalidFleetInputException rejected = rejection(() -> builder.remove(MESH, "port"));

        assertThat(rejected.rule()).isEqualTo(Rule.DUPLICATE);
        assertThat(rejected.getMessage()).isEqualTo("Duplicate key 'port' under PID 'io.weft.mesh': the profile already"
                + " has an entry for it. Keep one entry for the key.");
    }

    @Test
    void builderValidatesPidAndKey() {
        Profile.Builder builder = Profile.builder();

        assertThat(rejection(() -> builder.set("io..weft", "port", PORT_8443)).field()).isEqualTo("pid");
        assertThat(rejection(() -> builder.remove(MESH, "service.pid")).field()).isEqualTo("key");
    }

    @Test
    void builderStaysUsableAfterBuild() {
        Profile.Builder builder = Profile.builder().set(MESH, "port", PORT_8443);
        Profile first = builder.build();

        builder.set(MESH, "host", ProfileValue.ofString("gw1"));

        assertThat(first.size()).isEqualTo(1);
        assertThat(builder.build().size()).isEqualTo(2);
    }

    @Test
    void withReplacesEntryInAnyCase() {
        Profile profile = Profile.empty().withRemoval(MESH, "sshPort");

        Profile changed = profile.with(MESH, "SSHPORT", PORT_8443);

        assertThat(changed.entries(MESH)).extracting(ProfileEntry::toString).containsExactly("SSHPORT=8443");
        assertThat(profile.entries(MESH)).extracting(ProfileEntry::toString).containsExactly("sshPort removed");
    }

    @Test
    void withSharesUnchangedPids() {
        Profile profile = Profile.builder().set(WEB, "port", PORT_8443).build();

        Profile changed = profile.with(MESH, "port", PORT_8443);

        assertThat(changed.entriesByPid().get(WEB)).isSameAs(profile.entriesByPid().get(WEB));
        assertThat(profile.pids()).containsExactly(WEB);
    }

    @Test
    void withoutDropsLastEntryAndPid() {
        Profile profile = Profile.empty().with(MESH, "port", PORT_8443);

        Profile emptied = profile.without(MESH, "PORT");

        assertThat(emptied.isEmpty()).isTrue();
        assertThat(emptied.pids()).isEmpty();
        assertThat(emptied).isEqualTo(Profile.empty());
    }

    @Test
    void withoutUnknownKeyReturnsSameProfile() {
        Profile profile = Profile.empty().with(MESH, "port", PORT_8443);

        assertThat(profile.without(MESH, "host")).isSameAs(profile);
        assertThat(profile.without(WEB, "port")).isSameAs(profile);
    }

    @Test
    void viewsAreUnmodifiable() {
        Profile profile = Profile.empty().with(MESH, "port", PORT_8443);

        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> profile.pids().clear());
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> profile.entries(MESH).clear());
    }

    @Test
    void equalProfilesFromBothPaths() {
        Profile built = Profile.builder().set(MESH, "port", PORT_8443).remove(MESH, "host").build();

        Profile edited = Profile.empty().withRemoval(MESH, "host").with(MESH, "port", PORT_8443);

        assertThat(edited).isEqualTo(built);
        assertThat(edited.hashCode()).isEqualTo(built.hashCode());
        assertThat(edited).hasToString("{io.weft.mesh=[host removed, port=8443]}");
    }
}
