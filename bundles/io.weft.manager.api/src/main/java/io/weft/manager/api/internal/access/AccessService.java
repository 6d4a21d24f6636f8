package io.weft.manager.api.internal.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import javax.ws.rs.NotFoundException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.access.ApiTokens;
import io.weft.manager.access.Authorizer;
import io.weft.manager.access.Grant;
import io.weft.manager.access.InvalidAccessInputException;
import io.weft.manager.access.IssuedToken;
import io.weft.manager.access.PasswordHasher;
import io.weft.manager.access.PasswordPolicy;
import io.weft.manager.access.Principal;
import io.weft.manager.access.AccessDeniedException;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.api.internal.fleet.StoreErrors;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.AccessStore;
import io.weft.manager.store.Operator;
import io.weft.manager.store.StoredApiToken;

/**
 * Operator accounts, their grants and passwords, and API tokens. An admin manages the accounts
 * whose grants all lie within its own admin grants, and gives only such grants. Every operator
 * changes its own password and manages its own tokens. Every change is recorded in the audit
 * log in the same transaction, without password hashes or token secrets. Accounts that a
 * caller may not manage are invisible to it: their names get 404 like unknown names.
 */
@Component(service = AccessService.class)
public class AccessService {

    private static final Authorizer AUTHORIZER = new Authorizer();

    private final AccessStore store;
    private final AuditTrail audit;
    private final PasswordHasher hasher;
    private final ApiTokens tokens;

    @Activate
    public AccessService(@Reference AccessStore store, @Reference AuditTrail audit) {
        this(store, audit, new SecureRandom(), Clock.systemUTC());
    }

    AccessService(AccessStore store, AuditTrail audit, SecureRandom random, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.hasher = new PasswordHasher(random);
        this.tokens = new ApiTokens(random, clock);
    }

    /** Lists the caller's own account and the accounts that it may manage, by name. */
    public List<Operator> listOperators(Caller caller) {
        Principal principal = caller.principal();
        return store.listOperators().stream()
                .filter(operator -> operator.name().equals(principal.name())
                        || AUTHORIZER.mayManageAccount(principal, operator.grants()))
                .toList();
    }

    /**
     * Returns the caller's own account or one that it may manage. Any other name gets the same
     * 404 as a name that does not exist, so that callers cannot probe for user names.
     */
    public Operator getOperator(Caller caller, String name) {
        return visible(caller, name);
    }

    public Operator createOperator(Caller caller, String name, String password, List<GrantDto> grants) {
        String userName = inputs(() -> Principal.normalizeName(name));
        Set<Grant> requested = grants(grants);
        denied(() -> AUTHORIZER.checkManageAccount(caller.principal(), userName, requested));
        String hash = hash(userName, password);

        return audit.atomically(() -> {
            Operator created = StoreErrors.call(() -> store.createOperator(userName, hash, requested));
            audit.record(caller, "operator.create", userName, null, OperatorDto.of(created));
            return created;
        });
    }

    /** Replaces the account's grants and sets whether it is disabled. */
    public Operator updateOperator(Caller caller, String name, String ifMatch, List<GrantDto> grants,
            boolean disabled) {
        ETags.check(ifMatch);
        Set<Grant> requested = grants(grants);

        return audit.atomically(() -> {
            Operator before = visible(caller, name);
            long expectedVersion = ETags.requiredVersion(ifMatch, before.version());
            denied(() -> AUTHORIZER.checkGrantChange(caller.principal(), before.name(), before.grants(), requested));

            Operator after = before;
            if (!after.grants().equals(requested) || after.version() != expectedVersion) {
                after = StoreErrors.call(() -> store.replaceGrants(before.name(), expectedVersion, requested));
            }
            if (after.disabled() != disabled) {
                long version = after.version();
                after = StoreErrors.call(() -> store.setDisabled(before.name(), version, disabled));
            }
            if (after.version() != before.version()) {
                audit.record(caller, "operator.update", before.name(), OperatorDto.of(before), OperatorDto.of(after));
            }
            return after;
        });
    }

    public void deleteOperator(Caller caller, String name, String ifMatch) {
        ETags.check(ifMatch);

        audit.atomically(() -> {
            Operator before = visible(caller, name);
            denied(() -> AUTHORIZER.checkManageAccount(caller.principal(), before.name(), before.grants()));
            long expectedVersion = ETags.requiredVersion(ifMatch, before.version());

            StoreErrors.run(() -> store.deleteOperator(before.name(), expectedVersion));
            audit.record(caller, "operator.delete", before.name(), OperatorDto.of(before), null);
        });
    }

    public Operator changePassword(Caller caller, String name, String ifMatch, String password) {
        ETags.check(ifMatch);
        Operator account = visible(caller, name);
        String hash = hash(account.name(), password);

        return audit.atomically(() -> {
            Operator before = visible(caller, name);
            long expectedVersion = ETags.requiredVersion(ifMatch, before.version());
            Operator after = StoreErrors.call(() -> store.updatePassword(before.name(), expectedVersion, hash));
            audit.record(caller, "operator.password-change", before.name(), OperatorDto.of(before),
                    OperatorDto.of(after));
            return after;
        });
    }

    /**
     * Issues a token for {@code owner}, the caller when null. The returned text is the only
     * copy of the secret.
     */
    public IssuedTokenDto issueToken(Caller caller, String owner, String expiresAt) {
        Operator account = credentialsOwner(caller, owner);
        Instant expiry = instant(expiresAt);

        IssuedToken issued = inputs(() -> tokens.issue(account.name(), expiry));
        TokenDto details = audit.atomically(() -> {
            TokenDto stored = TokenDto.of(StoreErrors.call(() -> store.createToken(issued.token())));
            audit.record(caller, "token.create", stored.id(), null, stored);
            return stored;
        });
        return new IssuedTokenDto(issued.text(), details);
    }

    /** Lists the tokens of {@code owner}, the caller when null, revoked and expired ones included. */
    public List<StoredApiToken> listTokens(Caller caller, String owner) {
        Operator account = credentialsOwner(caller, owner);
        return StoreErrors.call(() -> store.listTokens(account.name()));
    }

    public StoredApiToken revokeToken(Caller caller, String id) {
        return audit.atomically(() -> {
            Principal principal = caller.principal();
            StoredApiToken before = StoreErrors.call(() -> store.findToken(id))
                    .filter(token -> mayManageTokensOf(principal, token.token().owner()))
                    .orElseThrow(() -> new NotFoundException("No API token " + abbreviate(id)
                            + " among the tokens you may manage: list them with GET /api/v1/tokens"));

            StoredApiToken after = StoreErrors.call(() -> store.revokeToken(id));
            if (!before.token().revoked()) {
                audit.record(caller, "token.revoke", id, TokenDto.of(before), TokenDto.of(after));
            }
            return after;
        });
    }

    private Operator credentialsOwner(Caller caller, String owner) {
        return visible(caller, owner == null || owner.isEmpty() ? caller.getName() : owner);
    }

    private boolean mayManageTokensOf(Principal principal, String owner) {
        return StoreErrors.call(() -> store.findOperator(owner))
                .filter(operator -> AUTHORIZER.mayManageCredentials(principal, operator.name(), operator.grants()))
                .isPresent();
    }

    /**
     * Returns the caller's own account or one whose credentials it may manage; raises the same
     * 404 for every other name, whether it exists or not.
     */
    private Operator visible(Caller caller, String name) {
        String userName = inputs(() -> Principal.normalizeName(name));
        Principal principal = caller.principal();
        return StoreErrors.call(() -> store.findOperator(userName))
                .filter(operator -> AUTHORIZER.mayManageCredentials(principal, operator.name(), operator.grants()))
                .orElseThrow(() -> new NotFoundException("No operator '" + userName
                        + "' among the accounts you may manage: check the name with GET /api/v1/operators"));
    }

    private String hash(String userName, String password) {
        if (password == null) {
            throw new InvalidFieldException("password", "The password is missing.");
        }
        char[] chars = password.toCharArray();
        try {
            inputs(() -> {
                PasswordPolicy.check(userName, chars);
                return null;
            });
            return hasher.hash(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static Set<Grant> grants(List<GrantDto> grants) {
        if (grants == null) {
            throw new InvalidFieldException("grants", "The grants are missing. Send [] for an account without grants.");
        }
        Set<Grant> parsed = new HashSet<>();
        List<GrantDto> items = new ArrayList<>(grants);
        for (int i = 0; i < items.size(); i++) {
            int index = i;
            if (items.get(i) == null) {
                throw new InvalidFieldException("grants[" + i + "]", "A grant is null. Send {\"role\": ..., \"scope\": ...}.");
            }
            parsed.add(inputs(() -> items.get(index).toGrant(index)));
        }
        return parsed;
    }

    private static Instant instant(String text) {
        if (text == null) {
            throw new InvalidFieldException("expiresAt", "The expiry time is missing: send an ISO-8601 instant in UTC,"
                    + " at most " + ApiTokens.MAX_LIFETIME.toDays() + " days ahead.");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException("expiresAt", "Invalid time '" + abbreviate(text)
                    + "': send an ISO-8601 instant in UTC, such as 2026-01-31T12:00:00Z.");
        }
    }

    /** Runs a check of the access bundle and reports its input errors as the API's invalid fields. */
    private static <T> T inputs(Supplier<T> work) {
        try {
            return work.get();
        } catch (InvalidAccessInputException e) {
            throw new InvalidFieldException(e.field(), e.getMessage());
        }
    }

    private static void denied(Runnable check) {
        try {
            check.run();
        } catch (AccessDeniedException e) {
            throw new javax.ws.rs.ForbiddenException(e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "(none)" : text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
