package io.weft.manager.api.internal.access;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.weft.manager.access.ApiToken;
import io.weft.manager.access.ApiTokens;
import io.weft.manager.access.LoginThrottle;
import io.weft.manager.access.PasswordHasher;
import io.weft.manager.access.Principal;
import io.weft.manager.access.TokenRejectedException;
import io.weft.manager.api.internal.access.AuthenticationFailedException.Kind;
import io.weft.manager.store.AccessStore;
import io.weft.manager.store.Operator;
import io.weft.manager.store.StoredApiToken;

/**
 * Authenticates the {@code Authorization} header of an API request against the access store:
 * {@code Basic} with an operator's user name and password, or {@code Bearer} with an API token.
 *
 * <p>Password logins pass through the {@link LoginThrottle}, by user name and by remote address.
 * A login with an unknown user name or a disabled account verifies the password against a
 * dummy hash, so it takes as long as one with a wrong password. Token checks need no throttle:
 * a token secret has 256 random bits. Instances are thread-safe.
 */
final class Authenticator {

    static final String BASIC = "Basic";
    static final String BEARER = "Bearer";

    private final AccessStore store;
    private final PasswordHasher hasher;
    private final ApiTokens tokens;
    private final LoginThrottle throttle;
    private final Clock clock;

    Authenticator(AccessStore store, PasswordHasher hasher, ApiTokens tokens, LoginThrottle throttle, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns the caller that the header authenticates.
     *
     * @param authorization the value of the Authorization header, or null when there is none
     * @param remoteAddress the client's IP address, or null when it is unknown
     * @throws AuthenticationFailedException when the header is missing, malformed or rejected
     * @throws LoginThrottledException       when the throttle blocks a password login
     */
    Caller authenticate(String authorization, String remoteAddress) {
        if (authorization == null || authorization.isBlank()) {
            throw new AuthenticationFailedException(Kind.MISSING, "no Authorization header");
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String credentials = space < 0 ? "" : authorization.substring(space + 1).trim();

        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "basic" -> new Caller(password(credentials, remoteAddress), remoteAddress);
            case "bearer" -> new Caller(token(credentials), remoteAddress);
            default -> throw new AuthenticationFailedException(Kind.MALFORMED, "unsupported Authorization scheme '"
                    + abbreviate(scheme) + "'");
        };
    }

    private Principal password(String credentials, String remoteAddress) {
        char[] decoded = decodeBasic(credentials);
        try {
            int colon = indexOf(decoded, ':');
            if (colon < 0) {
                throw new AuthenticationFailedException(Kind.MALFORMED,
                        "Basic credentials without ':' between user name and password");
            }
            String userName = new String(decoded, 0, colon);
            char[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
            try {
                return checkPassword(userName, password, remoteAddress);
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(decoded, '\0');
        }
    }

    private Principal checkPassword(String userName, char[] password, String remoteAddress) {
        Optional<Duration> wait = throttle.retryAfter(userName, remoteAddress);
        if (wait.isPresent()) {
            throw new LoginThrottledException(wait.get());
        }

        Optional<Operator> operator = findOperator(userName);
        boolean verified = operator.isPresent()
                ? hasher.verify(password, operator.get().passwordHash()) && !operator.get().disabled()
                : hasher.verifyUnknownAccount(password);
        if (!verified) {
            throw failedLogin(userName, remoteAddress, operator);
        }

        throttle.recordSuccess(userName, remoteAddress);
        return new Principal(operator.get().name(), operator.get().grants());
    }

    private AuthenticationFailedException failedLogin(String userName, String remoteAddress,
            Optional<Operator> operator) {
        throttle.recordFailure(userName, remoteAddress);
        String reason = operator.isEmpty() ? "unknown user name"
                : operator.get().disabled() ? "disabled account" : "wrong password";
        return new AuthenticationFailedException(Kind.WRONG_PASSWORD,
                "password login of '" + abbreviate(userName) + "' failed: " + reason);
    }

    /** Looks the operator up by its normalized name; a name that breaks the rules has no account. */
    private Optional<Operator> findOperator(String userName) {
        String normalized;
        try {
            normalized = Principal.normalizeName(userName);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return store.findOperator(normalized);
    }

    private Principal token(String presented) {
        ApiToken token;
        try {
            token = tokens.authenticate(presented, id -> store.findToken(id).map(StoredApiToken::token));
        } catch (TokenRejectedException e) {
            throw new AuthenticationFailedException(Kind.REJECTED_TOKEN,
                    "API token rejected (" + e.reason() + "): " + e.getMessage());
        }

        Operator owner = store.findOperator(token.owner())
                .filter(operator -> !operator.disabled())
                .orElseThrow(() -> new AuthenticationFailedException(Kind.REJECTED_TOKEN,
                        "API token " + token.id() + " rejected: its owner '" + token.owner() + "' is disabled or deleted"));
        store.recordTokenUse(token.id(), clock.instant());
        return new Principal(owner.name(), owner.grants());
    }

    /** Decodes Basic credentials as UTF-8 without building a String that contains the password. */
    private static char[] decodeBasic(String credentials) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(credentials);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailedException(Kind.MALFORMED, "Basic credentials are not Base64");
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            char[] result = new char[chars.remaining()];
            chars.get(result);
            Arrays.fill(chars.array(), '\0');
            return result;
        } catch (CharacterCodingException e) {
            throw new AuthenticationFailedException(Kind.MALFORMED, "Basic credentials are not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static int indexOf(char[] chars, char target) {
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == target) {
                return i;
            }
        }
        return -1;
    }

    /** Cuts client-supplied text for the log, so that a long header cannot flood it. */
    private static String abbreviate(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= Principal.MAX_NAME_LENGTH ? printable
                : printable.substring(0, Principal.MAX_NAME_LENGTH) + "...";
    }
}
