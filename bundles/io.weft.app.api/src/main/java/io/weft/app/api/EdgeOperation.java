package io.weft.app.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Service properties that publish an {@link Operation} or {@link StreamingOperation} through
 * the Edge API, as a Declarative Services component property type:
 *
 * <pre>{@code
 * @Component(service = Operation.class)
 * @EdgeOperation(app = "hello", operation = "greet", allow = {"client:ci", "domain:east.acme.example"})
 * public class Greet implements Operation { ... }
 * }</pre>
 *
 * <p>A call is allowed only when the caller matches one of {@link #allow()} <em>and</em> a rule
 * of the operator's policy allows it: operator policy can narrow what an app allows, never
 * widen it. Apps that register services without Declarative Services set the same properties,
 * named by the {@code PROPERTY_} constants.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface EdgeOperation {

    /** Prefix of the property names: {@code app()} becomes {@code weft.app}. */
    String PREFIX_ = "weft.";

    /** Service property with the app name. */
    String PROPERTY_APP = "weft.app";

    /** Service property with the operation name. */
    String PROPERTY_OPERATION = "weft.operation";

    /** Boolean service property: the operation may be called with {@code GET}. */
    String PROPERTY_SAFE = "weft.safe";

    /** String array service property with the selectors of the callers that the app allows. */
    String PROPERTY_ALLOW = "weft.allow";

    /** Long service property with the operation's own deadline in milliseconds. */
    String PROPERTY_TIMEOUT_MILLIS = "weft.timeoutMillis";

    /**
     * Prefix of the configuration PID of an app: the app {@code sensor-feed} reads
     * {@code io.weft.app.sensor-feed}, which the manager sets in the profiles of domains and nodes.
     */
    String CONFIGURATION_PID_PREFIX = "io.weft.app.";

    /**
     * The app's name: 1 to 128 letters, digits, '.', '-' and '_', starting and ending with a
     * letter or digit. Every operation of one bundle uses the same name.
     */
    String app();

    /** The operation's name: 1 to 64 letters, digits, '-' and '_', starting and ending with a letter or digit. */
    String operation();

    /**
     * Whether the operation only reads and may be called with {@code GET}, with its input in
     * query parameters. An operation that changes anything leaves this false, so it accepts only {@code POST}.
     */
    boolean safe() default false;

    /**
     * Selectors of the callers that the app allows, in the syntax of Weft policies:
     * {@code client:<api client>}, {@code node:<full name>}, {@code domain:<domain>},
     * {@code role:gateway}, {@code role:edge}, {@code all(...)} and {@code any(...)}. No
     * selector allows no caller. Callers are nodes, identified by their certificate, and API
     * clients, identified by a token that the manager issued.
     */
    String[] allow() default {};

    /**
     * Deadline of one call in milliseconds, 0 for the node's default. The node caps it at its
     * configured maximum. A streaming operation ends at its deadline.
     */
    long timeoutMillis() default 0;
}
