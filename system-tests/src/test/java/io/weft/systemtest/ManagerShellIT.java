package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.KarafShell;
import io.weft.systemtest.harness.ManagerApi;
import io.weft.systemtest.harness.ShellResult;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * The manager's weft: commands over SSH, and the command ACL that ships with the features. An
 * account with only the viewer role may list but not change. The admin's changes land in the
 * audit log with the shell user as actor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(WeftSystemTestExtension.class)
class ManagerShellIT {

    private static final String VIEWER = "auditor";
    private static final String VIEWER_PASSWORD = "viewer-only-password-for-tests";

    private WeftInstallation manager;
    private ManagerApi api;
    private KarafShell viewer;

    @BeforeAll
    void startManager(WeftInstallations installations) throws IOException {
        manager = installations.start(Distribution.MANAGER);
        api = new ManagerApi(manager);
        // Added after the first start, because the runtime provisions admin only while
        // users.properties defines no account. Karaf reads the file at every login.
        Files.writeString(manager.etc().resolve("users.properties"), "\n" + VIEWER + " = " + VIEWER_PASSWORD
                + ",_g_:viewergroup\n_g_\\:viewergroup = group,viewer,ssh\n", StandardCharsets.ISO_8859_1,
                StandardOpenOption.APPEND);
        viewer = manager.shellWithPassword(VIEWER, VIEWER_PASSWORD);
    }

    @AfterAll
    void closeShell() {
        if (viewer != null) {
            viewer.close();
        }
    }

    @Test
    void viewerListsButCannotChange() {
        ShellResult create = viewer.execute("weft:domain-create viewer.example");
        ShellResult list = viewer.execute("weft:domains");
        ShellResult token = viewer.execute("weft:enrollment-token gw1.viewer.example");

        assertThat(create.exitStatus()).as("exit status of weft:domain-create as viewer: %s %s", create.output(),
                create.error()).isNotZero();
        // Karaf's command ACL hides a command from a user without the role it needs.
        assertThat(create.output() + create.error()).as("output of weft:domain-create as viewer")
                .contains("Command not found: weft:domain-create");
        assertThat(token.exitStatus()).as("exit status of weft:enrollment-token as viewer").isNotZero();
        ShellResult revoke = viewer.execute("weft:app-signing-revoke");
        assertThat(revoke.output() + revoke.error()).as("output of weft:app-signing-revoke as viewer")
                .contains("Command not found: weft:app-signing-revoke");
        assertThat(list.exitStatus()).as("exit status of weft:domains as viewer: %s", list.error()).isZero();
        assertThat(list.output()).doesNotContain("viewer.example");
        api.expect(404, api.get("/domains/viewer.example"));
    }

    @Test
    void adminRevokesAppSigningCertificate() {
        String before = api.expect(200, api.get("/app-signing-certificate")).path("serial").asText();

        ShellResult revoked = manager.shell().execute("weft:app-signing-revoke --reason superseded").requireSuccess();

        assertThat(revoked.output()).contains("Revoked signing certificate " + before);
        String after = api.expect(200, api.get("/app-signing-certificate")).path("serial").asText();
        assertThat(after).isNotEqualTo(before);
        assertThat(revoked.output()).contains("New signing certificate     " + after);
        JsonNode entries = api.expect(200, api.get("/audit?target=app-signing-certificate")).path("items");
        assertThat(entries).extracting(entry -> entry.path("actor").asText()).contains(WeftInstallation.ADMIN_USER);
    }

    @Test
    void adminChangesAreAuditedWithShellUser() {
        KarafShell admin = manager.shell();

        admin.execute("weft:domain-create shell.example").requireSuccess();
        admin.execute("weft:node-create --role gateway gw1.shell.example").requireSuccess();
        ShellResult token = admin.execute("weft:enrollment-token --quiet gw1.shell.example").requireSuccess();
        List<List<String>> nodes = rows(admin.execute("weft:nodes --no-format --domain shell.example"));

        assertThat(token.output().strip()).startsWith("weft-enroll-v1.");
        assertThat(nodes).hasSize(1);
        // The desired revision is 0 or 1, depending on whether the control plane has compiled it yet.
        assertThat(nodes.get(0)).hasSize(7).startsWith("gw1.shell.example", "gateway", "created", "no")
                .endsWith("0", "never");
        JsonNode entries = api.expect(200, api.get("/audit?target=gw1.shell.example")).path("items");
        assertThat(entries).extracting(entry -> entry.path("action").asText())
                .containsExactly("node.create", "node.enrollment-token-create");
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.path("actor").asText()).isEqualTo(WeftInstallation.ADMIN_USER);
            assertThat(entry.path("remoteAddress").isNull()).as("remote address of a shell change").isTrue();
        });
    }

    @Test
    void errorsNameTheFix() {
        ShellResult missing = manager.shell().execute("weft:domain-delete missing.example");
        ShellResult empty = manager.shell().execute("weft:policies");
        ShellResult verified = manager.shell().execute("weft:audit-verify").requireSuccess();

        assertThat(missing.exitStatus()).isNotZero();
        assertThat(missing.output() + missing.error()).contains("domain 'missing.example' not found")
                .contains("weft:domains");
        assertThat(empty.output()).contains("No rules, so every flow is denied");
        assertThat(verified.output()).contains("Intact:          yes");
    }

    private static List<List<String>> rows(ShellResult result) {
        return result.requireSuccess().output().lines().filter(line -> !line.isBlank())
                .map(line -> Arrays.stream(line.split("\t")).map(String::strip).toList()).toList();
    }
}
