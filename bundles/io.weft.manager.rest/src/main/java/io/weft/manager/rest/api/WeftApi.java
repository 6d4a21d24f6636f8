package io.weft.manager.rest.api;

/** Names that place JAX-RS whiteboard services in the manager's REST API. */
public final class WeftApi {

    /**
     * Value of {@code osgi.jaxrs.name} of the API's whiteboard application. The API replaces
     * the whiteboard's default application, so that no second JAX-RS servlet serves the paths
     * outside {@link #BASE_PATH}. Resources and extensions should still select the application
     * with {@link #APPLICATION_SELECT}, which states where they belong.
     */
    public static final String APPLICATION_NAME = ".default";

    /** Path of the API on the manager's HTTP server. Resource paths are relative to it. */
    public static final String BASE_PATH = "/api/v1";

    /** Version of the API that {@link #BASE_PATH} serves. */
    public static final String API_VERSION = "v1";

    /** Filter for {@code osgi.jaxrs.application.select} that selects the API's application. */
    public static final String APPLICATION_SELECT = "(osgi.jaxrs.name=" + APPLICATION_NAME + ")";

    /**
     * Value of {@code osgi.jaxrs.name} of the request filter that authenticates every request
     * to the API. The application requires an extension of this name, so the whiteboard
     * serves no resource before the filter is registered, and none at all without it.
     */
    public static final String AUTHENTICATION_FILTER_NAME = "weft-authentication";

    private WeftApi() {
    }
}
