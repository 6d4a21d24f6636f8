package io.weft.manager.rest.internal.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.reflect.Method;
import java.net.URI;

import javax.ws.rs.QueryParam;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

import io.weft.manager.rest.api.InvalidFieldException;

class QueryParameterCheckTest {

    /** Resource methods whose parameters the check reads. */
    static final class Resource {

        public String list(@QueryParam("role") String role, @QueryParam("cursor") String cursor, String body) {
            return role + cursor + body;
        }

        public String unpaged() {
            return "";
        }
    }

    @Test
    void declaredParametersPass() throws Exception {
        QueryParameterCheck check = check("list");

        check.filter(request("role", "cursor"));
    }

    @Test
    void unknownParameterIsInvalidField() throws Exception {
        QueryParameterCheck check = check("list");

        assertThatThrownBy(() -> check.filter(request("role", "rol")))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> {
                    assertThat(e.field()).isEqualTo("rol");
                    assertThat(e.getMessage()).isEqualTo("unknown query parameter 'rol': GET /api/v1/nodes takes"
                            + " only cursor, role; check the spelling in the OpenAPI document at /api/v1/openapi.json");
                });
    }

    @Test
    void cursorOnUnpagedListIsInvalidField() throws Exception {
        QueryParameterCheck check = check("unpaged");

        assertThatThrownBy(() -> check.filter(request("cursor")))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> {
                    assertThat(e.field()).isEqualTo("cursor");
                    assertThat(e.getMessage()).contains("takes no query parameters");
                });
    }

    @Test
    void invalidEscapeIsInvalidField() throws Exception {
        QueryParameterCheck check = check("list");
        MultivaluedMap<String, String> raw = new MultivaluedHashMap<>();
        raw.add("cursor", "%%%");

        assertThatThrownBy(() -> check.filter(request(raw)))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> {
                    assertThat(e.field()).isEqualTo("cursor");
                    assertThat(e.getMessage()).isEqualTo("invalid percent-encoding in query parameter 'cursor': '%%%'."
                            + " Write a literal % as %25, and every other escape as % and two hexadecimal digits");
                });
    }

    @Test
    void encodedParametersPass() throws Exception {
        QueryParameterCheck check = check("list");
        MultivaluedMap<String, String> raw = new MultivaluedHashMap<>();
        raw.add("r%6Fle", "gate%77ay");

        check.filter(request(raw));
    }

    @Test
    void unmatchedRequestIsLeftToRuntime() {
        QueryParameterCheck check = new QueryParameterCheck();
        check.resourceInfo = mock(ResourceInfo.class);

        check.filter(request("anything"));
    }

    private static QueryParameterCheck check(String methodName) throws NoSuchMethodException {
        Method method = methodName.equals("list")
                ? Resource.class.getMethod("list", String.class, String.class, String.class)
                : Resource.class.getMethod(methodName);
        QueryParameterCheck check = new QueryParameterCheck();
        check.resourceInfo = mock(ResourceInfo.class);
        when(check.resourceInfo.getResourceMethod()).thenReturn(method);
        return check;
    }

    private static ContainerRequestContext request(String... names) {
        MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
        for (String name : names) {
            query.add(name, "x");
        }
        return request(query);
    }

    /** Returns a request whose query has {@code raw} as its parameters, still percent-encoded. */
    private static ContainerRequestContext request(MultivaluedMap<String, String> raw) {
        UriInfo uri = mock(UriInfo.class);
        when(uri.getQueryParameters(false)).thenReturn(raw);
        when(uri.getAbsolutePath()).thenReturn(URI.create("https://127.0.0.1:8443/api/v1/nodes"));
        ContainerRequestContext request = mock(ContainerRequestContext.class);
        when(request.getUriInfo()).thenReturn(uri);
        when(request.getMethod()).thenReturn("GET");
        return request;
    }
}
