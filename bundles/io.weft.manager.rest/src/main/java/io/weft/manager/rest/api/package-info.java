/**
 * Extension points of the manager's REST API under {@value WeftApi#BASE_PATH}: the component
 * property type that adds a JAX-RS resource to the API, the API's entity tags, and the
 * exceptions that the API's one error mapper turns into status codes and JSON error bodies.
 */
@Export
@Version("1.2.0")
package io.weft.manager.rest.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
