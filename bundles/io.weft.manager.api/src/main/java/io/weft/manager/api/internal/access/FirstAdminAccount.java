package io.weft.manager.api.internal.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.access.FirstAdminPassword;
import io.weft.manager.access.Grant;
import io.weft.manager.access.PasswordHasher;
import io.weft.manager.access.Role;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.store.AccessStore;
import io.weft.manager.store.ConflictException;
import io.weft.manager.store.Operator;

/**
 * Creates the operator {@value #USER_NAME} with the admin role over the whole fleet when the
 * access store has no operator, so that a new manager can be administered at all. Its password
 * comes from {@link FirstAdminPassword}: generated and written once to the owner-only file
 * {@value #PASSWORD_FILE} in Karaf's etc folder, or read from that file when an operator put a
 * password there before the first start. The log names the file, never the password.
 *
 * <p>NOTE: two managers that share one PostgreSQL database and start for the first time
 * together may both generate a password. The store accepts one account, and the other
 * manager's file then contains a password that does not work. That manager logs a warning.
 */
@Component(immediate = true, service = {})
public class FirstAdminAccount {

    static final String USER_NAME = "admin";
    static final String PASSWORD_FILE = "weft-api-admin.password";
    static final String KARAF_ETC = "karaf.etc";

    private static final Logger LOG = LoggerFactory.getLogger(FirstAdminAccount.class);

    @Activate
    public FirstAdminAccount(BundleContext context, @Reference AccessStore store, @Reference AuditTrail audit) {
        String etc = context.getProperty(KARAF_ETC);
        if (etc == null || etc.isBlank()) {
            throw new IllegalStateException("The framework property " + KARAF_ETC + " is not set, so the first admin's"
                    + " password file has no folder; start the manager through Karaf's scripts");
        }
        createIfNoOperator(store, audit, Path.of(etc).resolve(PASSWORD_FILE), new SecureRandom());
    }

    /** Creates the first admin unless an operator exists; returns true when it created one. */
    static boolean createIfNoOperator(AccessStore store, AuditTrail audit, Path passwordFile, SecureRandom random) {
        if (!store.listOperators().isEmpty()) {
            return false;
        }

        FirstAdminPassword.Result password = readOrCreate(passwordFile, random);
        String hash;
        try {
            hash = new PasswordHasher(random).hash(password.password());
        } finally {
            Arrays.fill(password.password(), '\0');
        }

        try {
            audit.atomically(() -> {
                Operator admin = store.createOperator(USER_NAME, hash, Set.of(Grant.fleetWide(Role.ADMIN)));
                audit.record(AuditTrail.SYSTEM, null, "operator.create", USER_NAME, null, OperatorDto.of(admin));
            });
        } catch (ConflictException e) {
            LOG.warn("First admin: another manager created the operator '{}' at the same moment; the password in {}"
                    + " may not be its password", USER_NAME, passwordFile);
            return false;
        }
        LOG.info("First admin: created the operator '{}' with the admin role over the whole fleet; its password is in {}"
                + " ({})", USER_NAME, passwordFile, password.created() ? "generated now" : "placed there before");
        return true;
    }

    private static FirstAdminPassword.Result readOrCreate(Path file, SecureRandom random) {
        try {
            return new FirstAdminPassword(random).createOrRead(Objects.requireNonNull(file, "file"), USER_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to create or read the first admin's password file " + file, e);
        }
    }
}
