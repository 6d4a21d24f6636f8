package io.weft.manager.pki.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the manager's certificate authority, PID {@value ManagerPkiComponent#PID}. */
@ObjectClassDefinition(
        name = "Weft manager PKI",
        description = "Certificate authority of the manager: names in its certificates and the addresses that "
                + "enrollment tokens carry.")
public @interface PkiConfig {

    @AttributeDefinition(name = "CA name",
            description = "Common name prefix of the root and issuing CA, used when the CA is created at first start.")
    String caName() default "Weft";

    @AttributeDefinition(name = "Enrollment URL",
            description = "HTTPS URL of the enrollment endpoint that nodes call, carried in every enrollment token.")
    String enrollmentUrl() default "https://127.0.0.1:8443/api/v1/enroll";

    @AttributeDefinition(name = "Control address",
            description = "host:port of the control port that nodes dial, carried in every enrollment token. It must "
                    + "match the port of PID io.weft.manager.control.")
    String controlAddress() default "127.0.0.1:7443";

    @AttributeDefinition(name = "Server DNS names",
            description = "DNS names in the manager's TLS certificate, for HTTPS and the control port.")
    String[] serverDnsNames() default { "localhost" };

    @AttributeDefinition(name = "Server IP addresses",
            description = "IP addresses in the manager's TLS certificate.")
    String[] serverIpAddresses() default { "127.0.0.1" };

    @AttributeDefinition(name = "Node certificate lifetime (days)",
            description = "Lifetime of node certificates; nodes renew them at about two thirds of it.", min = "1")
    int nodeCertificateDays() default 30;

    @AttributeDefinition(name = "HTTPS port", description = "Port of the manager's HTTPS listener (REST API).",
            min = "1", max = "65535")
    int httpsPort() default 8443;
}
