package io.weft.manager.api.internal.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import javax.ws.rs.ForbiddenException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.manager.access.Role;
import io.weft.manager.api.internal.access.Callers;
import io.weft.manager.api.internal.apps.ApiClientTokenService.IssuedApiClientToken;
import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.rest.api.InvalidFieldException;

class ApiClientTokenServiceTest {

    private static final Instant NOW = Instant.parse("2027-03-01T12:00:00Z");
    private static final byte[] SIGNATURE = {1, 2, 3};
    private static final byte[] CERTIFICATE = {4, 5, 6};

    private final ManagerPki pki = mock(ManagerPki.class);
    private final AuditTrail audit = mock(AuditTrail.class);
    private final ApiClientTokenService service = new ApiClientTokenService(pki, audit,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void signsClaimsWithStateKey() throws Exception {
        when(pki.signState(any())).thenAnswer(call -> envelope(call.getArgument(0)));

        IssuedApiClientToken issued = service.issue(Callers.fleetWide(Role.ADMIN), "ci",
                List.of("hello/greet", "feed/*"), 120L);

        String[] parts = issued.token().substring(ApiClientTokenService.PREFIX.length()).split("\\.");
        assertThat(issued.token()).startsWith(ApiClientTokenService.PREFIX);
        assertThat(parts).hasSize(3);
        assertThat(Base64.getUrlDecoder().decode(parts[1])).containsExactly(SIGNATURE);
        assertThat(Base64.getUrlDecoder().decode(parts[2]))
                .containsExactly(MessageDigest.getInstance("SHA-256").digest(CERTIFICATE));
        assertThat(parts[2]).hasSize(43);
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(claims.path("type").asText()).isEqualTo("weft-api-client-token");
        assertThat(claims.path("client").asText()).isEqualTo("ci");
        assertThat(claims.path("scopes").toString()).isEqualTo("[\"hello/greet\",\"feed/*\"]");
        assertThat(claims.path("expiresAt").asLong()).isEqualTo(NOW.getEpochSecond() + 120);
        assertThat(issued.expiresAt()).isEqualTo("2027-03-01T12:02:00Z");
        verify(audit).record(eq(Callers.fleetWide(Role.ADMIN)), eq("api-client-token.issue"), eq("api-client:ci"),
                eq(null), any());
    }

    @Test
    void defaultsToOneHour() {
        when(pki.signState(any())).thenAnswer(call -> envelope(call.getArgument(0)));

        IssuedApiClientToken issued = service.issue(Callers.fleetWide(Role.ADMIN), "ci", List.of("hello/*"), null);

        assertThat(issued.expiresAt()).isEqualTo("2027-03-01T13:00:00Z");
    }

    @Test
    void rejectsInvalidScope() {
        assertThatThrownBy(() -> service.issue(Callers.fleetWide(Role.ADMIN), "ci", List.of("hello"), 60L))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("Invalid scope 'hello'")
                .extracting(error -> ((InvalidFieldException) error).field()).isEqualTo("scopes[0]");
    }

    @Test
    void rejectsMissingScopes() {
        assertThatThrownBy(() -> service.issue(Callers.fleetWide(Role.ADMIN), "ci", List.of(), 60L))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("Give 1 to 100 scopes");
    }

    @Test
    void rejectsLongLifetime() {
        assertThatThrownBy(() -> service.issue(Callers.fleetWide(Role.ADMIN), "ci", List.of("hello/*"), 31L * 86_400))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("expiresInSeconds");
    }

    @Test
    void rejectsInvalidClientName() {
        assertThatThrownBy(() -> service.issue(Callers.fleetWide(Role.ADMIN), "bad name!", List.of("hello/*"), 60L))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("Invalid API client name 'bad name!'");
    }

    @Test
    void requiresAccessManagement() {
        assertThatThrownBy(() -> service.issue(Callers.fleetWide(Role.VIEWER), "ci", List.of("hello/*"), 60L))
                .isInstanceOf(ForbiddenException.class);
    }

    /** Returns an envelope in the format of io.weft.pki.DocumentSigner with a fixed signature and certificate. */
    private static byte[] envelope(byte[] payload) {
        Base64.Encoder base64 = Base64.getEncoder();
        return ("{\"format\":\"weft-signed-v1\",\"algorithm\":\"SHA256withECDSA\",\"payload\":\""
                + base64.encodeToString(payload) + "\",\"signature\":\"" + base64.encodeToString(SIGNATURE)
                + "\",\"chain\":[\"" + base64.encodeToString(CERTIFICATE) + "\"]}").getBytes(StandardCharsets.UTF_8);
    }
}
