package io.weft.manager.rest.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;
import org.osgi.service.jaxrs.whiteboard.annotations.RequireJaxrsWhiteboard;

/**
 * Component property type that registers a Declarative Services component as a JAX-RS
 * resource of the manager's REST API. It sets {@code osgi.jaxrs.resource=true} and selects the
 * API's application, so the resource's {@code @Path} is relative to {@value WeftApi#BASE_PATH}.
 *
 * <pre>
 * &#64;Component(service = NodeResource.class)
 * &#64;WeftApiResource
 * &#64;Path("nodes")
 * public class NodeResource { ... }
 * </pre>
 */
@ComponentPropertyType
@RequireJaxrsWhiteboard
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface WeftApiResource {

    /** Prefix of the property names that the elements below produce. */
    String PREFIX_ = "osgi.jaxrs.";

    /** Property {@code osgi.jaxrs.resource}. */
    boolean resource() default true;

    /** Property {@code osgi.jaxrs.application.select}. */
    String application_select() default WeftApi.APPLICATION_SELECT;
}
