package io.weft.manager.api.internal.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.fleet.Profile;
import io.weft.fleet.ProfileValue;
import io.weft.manager.rest.api.InvalidFieldException;

class ProfileJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void readsTypedValuesAndRemovals() throws Exception {
        Profile profile = ProfileJson.toProfile(document("""
                {"pids": {"org.ops4j.pax.web": {
                    "org.osgi.service.http.port": {"type": "long", "value": 8443},
                    "ratio": {"type": "double", "value": 2},
                    "names": {"type": "string[]", "value": ["a", "b"]},
                    "old.key": {"remove": true}}}}"""));

        assertThat(profile.entry("org.ops4j.pax.web", "org.osgi.service.http.port").orElseThrow().value())
                .contains(ProfileValue.ofLong(8443));
        assertThat(profile.entry("org.ops4j.pax.web", "ratio").orElseThrow().value()).contains(ProfileValue.ofDouble(2.0));
        assertThat(profile.entry("org.ops4j.pax.web", "names").orElseThrow().value())
                .contains(ProfileValue.ofStrings("a", "b"));
        assertThat(profile.entry("org.ops4j.pax.web", "old.key").orElseThrow().isRemoval()).isTrue();
    }

    @Test
    void storedDocumentRoundTrips() {
        Profile profile = Profile.builder()
                .set("io.weft.mesh", "port", ProfileValue.ofLong(9443))
                .set("io.weft.mesh", "on", ProfileValue.ofBooleans(true, false))
                .set("io.weft.mesh~gw", "text", ProfileValue.ofString("x'); DROP TABLE weft_domain; --"))
                .remove("io.weft.mesh", "debug")
                .build();

        String json = ProfileJson.write(profile);

        assertThat(ProfileJson.read(json)).isEqualTo(profile);
        assertThat(json).contains("{\"remove\":true}").contains("{\"type\":\"long\",\"value\":9443}");
    }

    @Test
    void textForLongNamesValuePath() {
        assertRejected("""
                {"pids": {"io.weft.mesh": {"port": {"type": "long", "value": "8443"}}}}""",
                "pids[\"io.weft.mesh\"][\"port\"].value", "long");
    }

    @Test
    void fractionForLongIsRejected() {
        assertRejected("""
                {"pids": {"io.weft.mesh": {"port": {"type": "long", "value": 1.5}}}}""",
                "pids[\"io.weft.mesh\"][\"port\"].value", "1.5");
    }

    @Test
    void overflowingDoubleIsRejected() {
        assertRejected("""
                {"pids": {"io.weft.mesh": {"ratio": {"type": "double", "value": 1e400}}}}""",
                "pids[\"io.weft.mesh\"][\"ratio\"].value", "nfinit");
    }

    @Test
    void overflowingLongIsRejected() {
        assertRejected("""
                {"pids": {"io.weft.mesh": {"port": {"type": "long", "value": -1e400}}}}""",
                "pids[\"io.weft.mesh\"][\"port\"].value", "");
    }

    @Test
    void unknownTypeNamesTypePath() {
        assertRejected("""
                {"pids": {"io.weft.mesh": {"port": {"type": "int", "value": 1}}}}""",
                "pids[\"io.weft.mesh\"][\"port\"].type", "int");
    }

    @Test
    void missingTypeNamesTypePath() {
        assertRejected("""
                {"pids": {"io.weft.mesh": {"port": {"value": 1}}}}""",
                "pids[\"io.weft.mesh\"][\"port\"].type", "missing");
    }

    @Test
    void removalWithValueIsRejected() {
        assertRejected("""
                {"pids": {"io.weft.mesh": {"port": {"remove": true, "type": "long", "value": 1}}}}""",
                "pids[\"io.weft.mesh\"][\"port\"].remove", "either");
    }

    @Test
    void removeFalseIsRejected() {
        assertRejected("""
                {"pids": {"io.weft.mesh": {"port": {"remove": false}}}}""",
                "pids[\"io.weft.mesh\"][\"port\"].remove", "either");
    }

    @Test
    void invalidPidNamesPidPath() {
        assertRejected("""
                {"pids": {"io..mesh": {"port": {"type": "long", "value": 1}}}}""",
                "pids[\"io..mesh\"]", "empty segment");
    }

    @Test
    void keysDifferingInCaseAreDuplicates() {
        assertRejected("""
                {"pids": {"io.weft.mesh": {"Port": {"type": "long", "value": 1}, "port": {"remove": true}}}}""",
                "pids[\"io.weft.mesh\"][\"port\"]", "Duplicate key");
    }

    @Test
    void missingPidsIsRejected() {
        assertRejected("{}", "pids", "pids");
    }

    @Test
    void nullEntryIsRejected() {
        assertRejected("""
                {"pids": {"io.weft.mesh": {"port": null}}}""", "pids[\"io.weft.mesh\"][\"port\"]", "null");
    }

    @Test
    void overlongKeyIsCutInPath() {
        String key = "k".repeat(10_000);

        assertThatThrownBy(() -> ProfileJson.toProfile(document("{\"pids\": {\"io.weft.mesh\": {\"" + key
                + "\": {\"remove\": true}}}}")))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).hasSizeLessThan(300).endsWith("...\"]"))
                .hasMessageContaining("maximum of 255");
    }

    private static void assertRejected(String json, String field, String messagePart) {
        assertThatThrownBy(() -> ProfileJson.toProfile(document(json)))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(messagePart);
    }

    private static ProfileJson.Document document(String json) {
        try {
            return MAPPER.readValue(json, ProfileJson.Document.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("Invalid test JSON: " + json, e);
        }
    }
}
