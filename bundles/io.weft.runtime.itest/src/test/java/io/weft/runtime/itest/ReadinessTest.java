package io.weft.runtime.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.apache.karaf.features.BootFinished;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import io.weft.runtime.Readiness;
import io.weft.runtime.ReadinessCheck;
import io.weft.runtime.ReadinessReport;

/** Readiness of real bundles and components under Felix SCR, without Karaf. */
class ReadinessTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 5000)
    Readiness readiness;

    @InjectService(timeout = 5000)
    ConfigurationAdmin configurationAdmin;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        registrations.forEach(ServiceRegistration::unregister);
        Configuration configuration = configurationAdmin.getConfiguration("io.weft.runtime", "?");
        configuration.delete();
    }

    @Test
    void unsatisfiedWeftComponentBlocksReadiness() {
        ReadinessReport report = readiness.evaluate();

        assertThat(report.ready()).isFalse();
        assertThat(report.problems()).contains(
                "component io.weft.runtime.itest.Probe of bundle io.weft.runtime.itest is in state "
                        + "'unsatisfied reference': waiting for dependency");
        assertThat(report.problems()).contains("Karaf has not finished installing its boot features");
    }

    @Test
    void missingRoleIsReportedWithFix() {
        ReadinessReport report = readiness.evaluate();

        assertThat(report.role()).isEmpty();
        assertThat(report.problems())
                .contains("configuration io.weft.runtime sets role ''; set it to node or manager");
    }

    @Test
    void readyWhenRoleBootAndDependenciesArePresent() throws Exception {
        configureRole("manager");
        registrations.add(context.registerService(ProbeDependency.class, new ProbeDependency() { }, null));
        registrations.add(context.registerService(BootFinished.class, new BootFinished() { }, null));

        ReadinessReport report = awaitReady();

        assertThat(report.role()).isEqualTo("manager");
        assertThat(report.version()).isEqualTo(runtimeBundle().getHeaders("").get("Weft-Version"));
        assertThat(report.components())
                .anySatisfy(state -> {
                    assertThat(state.component()).isEqualTo("io.weft.runtime.itest.Probe");
                    assertThat(state.state()).isEqualTo("active");
                });
    }

    @Test
    void registeredCheckAddsItsProblems() {
        ReadinessCheck check = () -> List.of("the example whiteboard has not picked up 2 services");
        ServiceRegistration<ReadinessCheck> registration =
                context.registerService(ReadinessCheck.class, check, null);

        ReadinessReport withCheck = readiness.evaluate();
        registration.unregister();
        ReadinessReport withoutCheck = readiness.evaluate();

        assertThat(withCheck.problems()).contains("the example whiteboard has not picked up 2 services");
        assertThat(withoutCheck.problems()).doesNotContain("the example whiteboard has not picked up 2 services");
    }

    @Test
    void failingCheckIsReportedAsProblem() {
        ReadinessCheck check = () -> {
            throw new IllegalStateException("runtime DTO unavailable");
        };
        registrations.add(context.registerService(ReadinessCheck.class, check, null));

        ReadinessReport report = readiness.evaluate();

        assertThat(report.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("readiness check ")
                .endsWith("failed: java.lang.IllegalStateException: runtime DTO unavailable"));
    }

    private void configureRole(String role) throws IOException {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("role", role);
        configurationAdmin.getConfiguration("io.weft.runtime", "?").update(properties);
    }

    /** Polls until the report is ready, because ConfigAdmin delivers configuration asynchronously. */
    private ReadinessReport awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ReadinessReport report = readiness.evaluate();
        while (!report.ready() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            report = readiness.evaluate();
        }
        assertThat(report.problems())
                .as("problems still reported after %s s", WAIT.toSeconds())
                .isEmpty();
        return report;
    }

    private Bundle runtimeBundle() {
        for (Bundle bundle : context.getBundles()) {
            if ("io.weft.runtime".equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle io.weft.runtime is not installed");
    }
}
