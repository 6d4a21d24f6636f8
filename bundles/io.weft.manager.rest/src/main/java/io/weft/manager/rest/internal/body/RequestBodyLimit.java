package io.weft.manager.rest.internal.body;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.rest.api.WeftApi;

/**
 * Rejects request bodies larger than the configured maximum with status 413, which is larger
 * for binary bodies such as app bundle uploads than for JSON: at once, before any byte of the
 * body is read, when {@code Content-Length} is larger, otherwise as soon as the reader has read
 * one byte too many, which also covers chunked bodies.
 *
 * <p>When the response is ready, the part of the body that no one read is discarded and the
 * connection is closed after the response, so that the client gets its 413 or 401 without
 * sending the rest, and the server never buffers it (see {@link CxfRequestStream}).
 *
 * <p>Configured by PID {@value #PID}.
 */
@Component(service = { ContainerRequestFilter.class, ContainerResponseFilter.class },
        configurationPid = RequestBodyLimit.PID)
@Designate(ocd = RequestBodyLimit.Config.class)
@JaxrsExtension
@JaxrsName(RequestBodyLimit.NAME)
@JaxrsApplicationSelect(WeftApi.APPLICATION_SELECT)
@PreMatching
public class RequestBodyLimit implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String NAME = "weft-body-limit";
    static final String PID = "io.weft.manager.rest";
    static final long DEFAULT_MAX_BYTES = 1_048_576;
    static final long DEFAULT_MAX_BINARY_BYTES = 64L * 1_048_576;
    private static final Set<String> BINARY_TYPES = Set.of("application/octet-stream", "application/java-archive");

    private static final String CONTENT_LENGTH = "Content-Length";
    private static final String TRANSFER_ENCODING = "Transfer-Encoding";
    private static final String CONNECTION = "Connection";

    /** Request property that contains the limited entity stream. */
    private static final String STREAM_PROPERTY = RequestBodyLimit.class.getName() + ".stream";

    private static final Logger LOG = LoggerFactory.getLogger(RequestBodyLimit.class);

    @ObjectClassDefinition(
            name = "Weft REST API",
            description = "Limits of the manager's REST API under /api/v1.")
    public @interface Config {

        @AttributeDefinition(name = "Maximum request body",
                description = "Largest request body, in bytes, that the API reads. A larger body gets "
                        + "status 413. The default is 1048576 bytes (1 MiB).",
                min = "1")
        long maxRequestBodyBytes() default DEFAULT_MAX_BYTES;

        @AttributeDefinition(name = "Maximum binary request body",
                description = "Largest request body, in bytes, of Content-Type application/octet-stream or"
                        + " application/java-archive, such as an app bundle upload. A larger body gets status 413."
                        + " The default is 67108864 bytes (64 MiB).",
                min = "1")
        long maxBinaryBodyBytes() default DEFAULT_MAX_BINARY_BYTES;
    }

    /** Limits of JSON bodies and of binary bodies, swapped whole on a configuration change. */
    private record Limits(long json, long binary) {
    }

    private volatile Limits limits;

    @Activate
    public RequestBodyLimit(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        long requested = config.maxRequestBodyBytes();
        if (requested < 1) {
            throw new IllegalArgumentException("Configuration " + PID + " sets maxRequestBodyBytes to "
                    + requested + "; set it to a positive number of bytes, such as " + DEFAULT_MAX_BYTES);
        }
        long binary = config.maxBinaryBodyBytes();
        if (binary < 1) {
            throw new IllegalArgumentException("Configuration " + PID + " sets maxBinaryBodyBytes to " + binary
                    + "; set it to a positive number of bytes, such as " + DEFAULT_MAX_BINARY_BYTES);
        }
        limits = new Limits(requested, binary);
        LOG.info("REST API: request bodies are limited to {} bytes, binary bodies to {} bytes", requested, binary);
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        long limit = isBinary(request.getMediaType()) ? limits.binary() : limits.json();
        long declared = declaredLength(request);
        if (declared > limit) {
            throw new RequestBodyTooLargeException(declared, limit);
        }
        LimitedInputStream limited = new LimitedInputStream(request.getEntityStream(), limit);
        request.setProperty(STREAM_PROPERTY, limited);
        request.setEntityStream(limited);
    }

    /**
     * Returns the {@code Content-Length} of the request, {@link Long#MAX_VALUE} for a number too
     * large for a long, or -1 when there is none. JAX-RS's {@code getLength()} returns -1 for
     * every length above {@link Integer#MAX_VALUE}, which would let a body of 3 GB pass the check
     * and be read up to the limit, so the header is parsed here.
     */
    static long declaredLength(ContainerRequestContext request) {
        String header = request.getHeaderString(CONTENT_LENGTH);
        if (header == null || header.isBlank()) {
            return request.getLength();
        }
        String digits = header.strip();
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // Jetty rejects a malformed Content-Length before the request gets here.
            return request.getLength();
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static boolean isBinary(MediaType type) {
        return type != null && BINARY_TYPES.contains((type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT));
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        boolean bodyExpected = declaredLength(request) > 0 || request.getHeaderString(TRANSFER_ENCODING) != null;
        Object limited = request.getProperty(STREAM_PROPERTY);
        boolean unread = bodyExpected && !(limited instanceof LimitedInputStream stream && stream.reachedEnd());
        if (!unread) {
            return;
        }

        CxfRequestStream.current().ifPresent(stream -> stream.setInputStream(InputStream.nullInputStream()));
        response.getHeaders().putSingle(CONNECTION, "close");
    }
}
