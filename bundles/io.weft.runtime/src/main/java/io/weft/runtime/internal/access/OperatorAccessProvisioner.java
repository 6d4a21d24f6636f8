package io.weft.runtime.internal.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions the first operator account when a distribution starts for the first time.
 *
 * <p>Configured by PID {@value #PID}. A failure leaves the component in state
 * "failed activation", so the readiness endpoint reports it with the reason.
 */
@Component(service = {}, immediate = true, configurationPid = OperatorAccessProvisioner.PID)
@Designate(ocd = OperatorAccessProvisioner.Config.class)
public class OperatorAccessProvisioner {

    static final String PID = "io.weft.runtime.access";
    static final String KARAF_ETC = "karaf.etc";

    private static final Logger LOG = LoggerFactory.getLogger(OperatorAccessProvisioner.class);

    @ObjectClassDefinition(
            name = "Weft operator access",
            description = "The operator account that a new distribution creates on its first start.")
    public @interface Config {

        @AttributeDefinition(name = "User name",
                description = "Name of the operator account created on first start.")
        String userName() default "admin";

        @AttributeDefinition(name = "Group",
                description = "JAAS group of the account, as defined in etc/users.properties.")
        String group() default "admingroup";
    }

    @Activate
    public OperatorAccessProvisioner(BundleContext context, Config config) {
        String etcProperty = context.getProperty(KARAF_ETC);
        if (etcProperty == null) {
            LOG.warn("Operator access not provisioned: property {} is not set, so this framework "
                    + "is not a Karaf distribution", KARAF_ETC);
            return;
        }

        Path etc = Path.of(etcProperty);
        OperatorAccess access = new OperatorAccess(etc, config.userName(), config.group(), new SecureRandom());
        try {
            report(config.userName(), access.provisionIfNeeded());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to provision operator access in " + etc, e);
        }
    }

    private static void report(String user, OperatorAccess.Outcome outcome) {
        if (!outcome.provisioned()) {
            LOG.debug("Operator access already provisioned; etc/users.properties or etc/keys.properties "
                    + "defines an account");
            return;
        }

        LOG.info("Operator access provisioned: user '{}', password written to {} (readable by the "
                + "service user only)", user, outcome.passwordFile().toAbsolutePath());
        outcome.publicKeyFile().ifPresent(key -> LOG.info(
                "Operator access provisioned: SSH public key from {} accepted for user '{}'",
                key.toAbsolutePath(), user));
    }
}
