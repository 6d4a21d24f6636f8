package io.weft.manager.rest.internal.body;

import java.util.Optional;

import org.apache.cxf.io.DelegatingInputStream;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;

/**
 * The request body stream of the request that CXF handles on the calling thread.
 *
 * <p>Before CXF writes a response it reads whatever the application left of the request body
 * to the end, into memory or a temporary file. That suits SOAP clients that send the whole
 * request before they read. Here it would make a client that declares a huge body wait for
 * the 413 until it sent every byte. It would also let an unauthenticated client fill a
 * temporary file. Replacing the stream under CXF's wrapper stops both.
 */
final class CxfRequestStream {

    private CxfRequestStream() {
    }

    /** Returns CXF's wrapper of the servlet request stream, or empty outside a CXF request. */
    static Optional<DelegatingInputStream> current() {
        Message message = PhaseInterceptorChain.getCurrentMessage();
        if (message == null) {
            return Optional.empty();
        }
        Exchange exchange = message.getExchange();
        Message request = exchange == null ? message : exchange.getInMessage();
        return Optional.ofNullable(request == null ? null : request.getContent(DelegatingInputStream.class));
    }
}
