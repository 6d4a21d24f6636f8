package io.weft.node.edge.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the node's Edge API, PID {@value #PID}. */
@ObjectClassDefinition(name = "Weft Edge API", description = "The HTTPS endpoint of the node that serves the"
        + " operations of edge apps.")
public @interface EdgeApiConfig {

    String PID = "io.weft.node.edge";

    @AttributeDefinition(name = "Host", description = "The address that the HTTPS listener binds to. The default"
            + " serves only local callers; set 0.0.0.0 to serve other hosts.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "The TCP port of the HTTPS listener, 1 to 65535.")
    int port() default 8543;

    @AttributeDefinition(name = "Maximum body size", description = "The largest request body, in bytes; a larger"
            + " one gets 413.")
    int maxBodyBytes() default 1_048_576;

    @AttributeDefinition(name = "Default deadline", description = "The deadline of a call, in milliseconds, for an"
            + " operation that sets none.")
    long defaultTimeoutMillis() default 30_000;

    @AttributeDefinition(name = "Maximum deadline", description = "The longest deadline, in milliseconds, that an"
            + " operation may set; streams end at it.")
    long maxTimeoutMillis() default 3_600_000;

    @AttributeDefinition(name = "Rate per caller", description = "Calls per second that one caller may make after"
            + " its burst; more get 429.")
    double ratePerSecond() default 100;

    @AttributeDefinition(name = "Burst per caller", description = "Calls that one caller may make at once.")
    int burst() default 200;

    @AttributeDefinition(name = "Worker threads", description = "Request/response operations that run at the same"
            + " time, each on a thread of the HTTPS listener. Further calls get 503.")
    int workerThreads() default 16;

    @AttributeDefinition(name = "Maximum streams", description = "Server-sent event streams open at the same time;"
            + " further streams get 503.")
    int maxStreams() default 32;
}
