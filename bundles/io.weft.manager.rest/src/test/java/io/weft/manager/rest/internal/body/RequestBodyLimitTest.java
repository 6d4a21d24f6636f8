package io.weft.manager.rest.internal.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.manager.rest.internal.json.JsonMappers;

class RequestBodyLimitTest {

    @Test
    void declaredLengthAboveLimitIsRejectedAtOnce() {
        ContainerRequestContext request = request(new byte[0], 101);

        assertThatThrownBy(() -> new RequestBodyLimit(config(100)).filter(request))
                .isInstanceOf(RequestBodyTooLargeException.class)
                .hasMessage("the request body of 101 bytes (Content-Length) is larger than the maximum of 100 bytes");
        verify(request, never()).setEntityStream(any());
    }

    @Test
    void lengthBeyondIntIsRejectedAtOnce() {
        // JAX-RS reports -1 for a Content-Length above Integer.MAX_VALUE.
        ContainerRequestContext request = request(new byte[0], -1);
        when(request.getHeaderString("Content-Length")).thenReturn("3000000000");

        assertThatThrownBy(() -> new RequestBodyLimit(config(100)).filter(request))
                .isInstanceOf(RequestBodyTooLargeException.class)
                .hasMessageContaining("3000000000 bytes");
        verify(request, never()).setEntityStream(any());
    }

    @Test
    void lengthBeyondLongIsRejectedAtOnce() {
        ContainerRequestContext request = request(new byte[0], -1);
        when(request.getHeaderString("Content-Length")).thenReturn("99999999999999999999");

        assertThatThrownBy(() -> new RequestBodyLimit(config(100)).filter(request))
                .isInstanceOf(RequestBodyTooLargeException.class);
        verify(request, never()).setEntityStream(any());
    }

    @Test
    void binaryBodyHasItsOwnLimit() throws IOException {
        ContainerRequestContext jar = request(new byte[0], 150);
        when(jar.getMediaType()).thenReturn(MediaType.valueOf("application/java-archive"));
        ContainerRequestContext tooLarge = request(new byte[0], 201);
        when(tooLarge.getMediaType()).thenReturn(MediaType.APPLICATION_OCTET_STREAM_TYPE);
        RequestBodyLimit limit = new RequestBodyLimit(config(100, 200));

        limit.filter(jar);

        verify(jar).setEntityStream(any());
        assertThatThrownBy(() -> limit.filter(tooLarge))
                .hasMessage("the request body of 201 bytes (Content-Length) is larger than the maximum of 200 bytes");
    }

    @Test
    void bodyAtLimitIsReadWhole() throws IOException {
        byte[] body = new byte[100];

        InputStream limited = filteredStream(new RequestBodyLimit(config(100)), body, -1);

        assertThat(limited.readAllBytes()).hasSize(100);
    }

    @Test
    void chunkedBodyAboveLimitFailsWhileReading() throws IOException {
        InputStream limited = filteredStream(new RequestBodyLimit(config(100)), new byte[101], -1);

        assertThatThrownBy(limited::readAllBytes).isInstanceOf(RequestBodyTooLargeException.class);
    }

    @Test
    void singleByteReadsAreCounted() throws IOException {
        InputStream limited = new LimitedInputStream(new ByteArrayInputStream(new byte[3]), 2);

        limited.read();
        limited.read();

        assertThatThrownBy(limited::read).isInstanceOf(RequestBodyTooLargeException.class);
    }

    @Test
    void skippedBytesAreCounted() throws IOException {
        InputStream limited = new LimitedInputStream(new ByteArrayInputStream(new byte[10]), 5);

        assertThatThrownBy(() -> limited.skip(6)).isInstanceOf(RequestBodyTooLargeException.class);
    }

    @Test
    void jacksonPassesLimitErrorThrough() throws IOException {
        byte[] body = ("{\"name\": \"" + "x".repeat(10_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        InputStream limited = filteredStream(new RequestBodyLimit(config(1024)), body, -1);

        assertThatThrownBy(() -> JsonMappers.strict().readValue(limited, JsonNode.class))
                .isInstanceOf(RequestBodyTooLargeException.class);
    }

    @Test
    void nonPositiveLimitIsRejected() {
        assertThatThrownBy(() -> new RequestBodyLimit(config(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Configuration io.weft.manager.rest sets maxRequestBodyBytes to 0; set it to a "
                        + "positive number of bytes, such as 1048576");
    }

    @Test
    void modifiedLimitAppliesToNextRequest() throws IOException {
        RequestBodyLimit limit = new RequestBodyLimit(config(10));

        limit.modified(config(20));

        assertThat(filteredStream(limit, new byte[20], 20).readAllBytes()).hasSize(20);
    }

    @Test
    void unreadBodyClosesConnectionAfterResponse() throws IOException {
        RequestBodyLimit limit = new RequestBodyLimit(config(100));
        ContainerRequestContext request = request(new byte[50], 50);
        limit.filter(request);
        LimitedInputStream stream = captured(request);
        when(request.getProperty(any())).thenReturn(stream);
        ContainerResponseContext response = response();

        limit.filter(request, response);

        assertThat(response.getHeaders().getFirst("Connection")).isEqualTo("close");
    }

    @Test
    void bodyReadToEndKeepsConnection() throws IOException {
        RequestBodyLimit limit = new RequestBodyLimit(config(100));
        ContainerRequestContext request = request(new byte[50], 50);
        limit.filter(request);
        LimitedInputStream stream = captured(request);
        stream.readAllBytes();
        when(request.getProperty(any())).thenReturn(stream);
        ContainerResponseContext response = response();

        limit.filter(request, response);

        assertThat(response.getHeaders()).doesNotContainKey("Connection");
    }

    @Test
    void requestWithoutBodyKeepsConnection() {
        ContainerRequestContext request = request(new byte[0], -1);
        ContainerResponseContext response = response();

        new RequestBodyLimit(config(100)).filter(request, response);

        assertThat(response.getHeaders()).doesNotContainKey("Connection");
        assertThat(CxfRequestStream.current()).as("CXF stream outside a CXF request").isEmpty();
    }

    private static LimitedInputStream captured(ContainerRequestContext request) {
        ArgumentCaptor<InputStream> stream = ArgumentCaptor.forClass(InputStream.class);
        verify(request).setEntityStream(stream.capture());
        return (LimitedInputStream) stream.getValue();
    }

    private static ContainerResponseContext response() {
        ContainerResponseContext response = mock(ContainerResponseContext.class);
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        when(response.getHeaders()).thenReturn(headers);
        return response;
    }

    private static InputStream filteredStream(RequestBodyLimit limit, byte[] body, int declaredLength)
            throws IOException {
        ContainerRequestContext request = request(body, declaredLength);
        limit.filter(request);
        ArgumentCaptor<InputStream> stream = ArgumentCaptor.forClass(InputStream.class);
        verify(request).setEntityStream(stream.capture());
        return stream.getValue();
    }

    private static ContainerRequestContext request(byte[] body, int declaredLength) {
        ContainerRequestContext request = mock(ContainerRequestContext.class);
        when(request.getLength()).thenReturn(declaredLength);
        when(request.getEntityStream()).thenReturn(new ByteArrayInputStream(body));
        return request;
    }

    private static RequestBodyLimit.Config config(long maxBytes) {
        return config(maxBytes, RequestBodyLimit.DEFAULT_MAX_BINARY_BYTES);
    }

    private static RequestBodyLimit.Config config(long maxBytes, long maxBinaryBytes) {
        return new RequestBodyLimit.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RequestBodyLimit.Config.class;
            }

            @Override
            public long maxRequestBodyBytes() {
                return maxBytes;
            }

            @Override
            public long maxBinaryBodyBytes() {
                return maxBinaryBytes;
            }
        };
    }
}
