package io.weft.manager.rest.internal.query;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import javax.ws.rs.QueryParam;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MultivaluedMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.rest.api.WeftApi;

/**
 * Rejects a query parameter that the matched resource method does not declare with
 * {@link QueryParam}, with 400 and the parameter as field. A mistyped filter such as
 * {@code ?rol=gateway}, or a {@code cursor} on a list that does not page, so gets an error
 * instead of the whole list. Runs after matching, so after authentication, and before the body
 * is read.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName(QueryParameterCheck.NAME)
@JaxrsApplicationSelect(WeftApi.APPLICATION_SELECT)
public class QueryParameterCheck implements ContainerRequestFilter {

    public static final String NAME = "weft-query-parameters";

    /** Declared query parameter names by resource method. The resources fix the set of methods, so it stays small. */
    private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

    // Thread-local proxy that the JAX-RS runtime injects.
    @Context
    ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        if (method == null) {
            return;
        }
        Set<String> allowed = declared.computeIfAbsent(method, QueryParameterCheck::queryParameters);
        MultivaluedMap<String, String> raw = request.getUriInfo().getQueryParameters(false);
        checkEncoding(raw);
        for (String encodedName : raw.keySet()) {
            String name = decode(encodedName, encodedName);
            if (!name.isEmpty() && !allowed.contains(name)) {
                throw unknown(name, request, allowed);
            }
        }
    }

    /**
     * Checks the percent-encoding of every name and value of a query, as received.
     *
     * @throws InvalidFieldException for the first parameter with an invalid escape such as {@code %%%}
     */
    public static void checkEncoding(MultivaluedMap<String, String> raw) {
        for (Map.Entry<String, List<String>> parameter : raw.entrySet()) {
            String name = decode(parameter.getKey(), parameter.getKey());
            parameter.getValue().forEach(value -> decode(name, value));
        }
    }

    /** Returns the percent-decoded {@code text}, a name or value of query parameter {@code field}. */
    private static String decode(String field, String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(abbreviate(field), "invalid percent-encoding in query parameter '"
                    + abbreviate(field) + "': '" + abbreviate(text) + "'. Write a literal % as %25, and every other"
                    + " escape as % and two hexadecimal digits");
        }
    }

    /** Returns the names of the method's parameters that carry {@link QueryParam}, sorted. */
    static Set<String> queryParameters(Method method) {
        Set<String> names = new TreeSet<>();
        for (Annotation[] annotations : method.getParameterAnnotations()) {
            for (Annotation annotation : annotations) {
                if (annotation instanceof QueryParam query) {
                    names.add(query.value());
                }
            }
        }
        return Set.copyOf(names);
    }

    private static InvalidFieldException unknown(String name, ContainerRequestContext request, Set<String> allowed) {
        String operation = request.getMethod() + " " + request.getUriInfo().getAbsolutePath().getRawPath();
        String known = allowed.isEmpty() ? "takes no query parameters"
                : "takes only " + String.join(", ", new TreeSet<>(allowed));
        return new InvalidFieldException(name, "unknown query parameter '" + abbreviate(name) + "': " + operation
                + " " + known + "; check the spelling in the OpenAPI document at " + WeftApi.BASE_PATH
                + "/openapi.json");
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
    }
}
