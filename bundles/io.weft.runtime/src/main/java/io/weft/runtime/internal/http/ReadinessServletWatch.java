package io.weft.runtime.internal.http;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntimeConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the readiness servlet again when the HTTP whiteboard missed it. pax-web 8.0.34
 * can process a servlet while it is still adding its default context. It then logs "No
 * matching target context(s)" and never serves the servlet, so {@value ReadinessServlet#PATH}
 * returns 404 for the life of the process.
 *
 * <p>This component requests that path from the HTTP runtime's own endpoint during the first
 * minute. After two 404 responses in a row it disables and enables the servlet's component,
 * which registers the servlet with the whiteboard anew. Without an HTTP runtime, or with one
 * that names no endpoint, it does nothing. The reference is greedy, so the component starts
 * again when a runtime appears.
 *
 * <p>NOTE: the race was seen once and not reproduced on demand, so the restart path has not run.
 */
@Component(immediate = true)
public final class ReadinessServletWatch {

    static final long CHECK_INTERVAL_MILLIS = 2_000;
    static final int CHECKS = 30;
    static final int MAX_RESTARTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessServletWatch.class);

    private final ComponentContext context;
    private final Optional<URI> readinessUri;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "weft-readiness-watch");
        thread.setDaemon(true);
        return thread;
    });
    private int checks;
    private int missesInARow;
    private int restarts;

    @Activate
    public ReadinessServletWatch(ComponentContext context,
            @Reference(service = HttpServiceRuntime.class, cardinality = ReferenceCardinality.OPTIONAL,
                    policyOption = ReferencePolicyOption.GREEDY) ServiceReference<HttpServiceRuntime> runtime) {
        this.context = context;
        this.readinessUri = runtime == null ? Optional.empty()
                : readinessUri(runtime.getProperty(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT));
        if (readinessUri.isEmpty()) {
            LOG.debug("Readiness watch: the HTTP runtime names no endpoint, so the servlet is not checked");
            return;
        }

        executor.scheduleWithFixedDelay(this::check, CHECK_INTERVAL_MILLIS, CHECK_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    /** Returns the readiness URI on the first HTTP endpoint, for endpoint values such as {@code http://127.0.0.1:8181/}. */
    static Optional<URI> readinessUri(Object endpoints) {
        List<String> values;
        if (endpoints instanceof String single) {
            values = List.of(single);
        } else if (endpoints instanceof String[] array) {
            values = Arrays.asList(array);
        } else if (endpoints instanceof java.util.Collection<?> collection) {
            values = collection.stream().map(String::valueOf).toList();
        } else {
            return Optional.empty();
        }
        return values.stream().filter(value -> value.startsWith("http://")).findFirst()
                .map(value -> URI.create(value.endsWith("/") ? value : value + "/").resolve(
                        ReadinessServlet.PATH.substring(1)));
    }

    private void check() {
        checks++;
        if (checks > CHECKS || restarts >= MAX_RESTARTS) {
            executor.shutdown();
            return;
        }

        int status = status(readinessUri.orElseThrow());
        if (status != HttpURLConnection.HTTP_NOT_FOUND) {
            missesInARow = 0;
            if (status > 0) {
                executor.shutdown();
            }
            return;
        }

        missesInARow++;
        if (missesInARow >= 2) {
            restartServlet();
        }
    }

    private void restartServlet() {
        restarts++;
        missesInARow = 0;
        LOG.warn("Readiness watch: {} returned 404 because the HTTP whiteboard did not register the servlet;"
                + " registering it again (attempt {} of {})", readinessUri.orElseThrow(), restarts, MAX_RESTARTS);
        String name = ReadinessServlet.class.getName();
        context.disableComponent(name);
        context.enableComponent(name);
    }

    /** Returns the HTTP status of a GET, or 0 when the request failed, as while the server starts. */
    private static int status(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(1_000);
            connection.setReadTimeout(2_000);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return 0;
        }
    }
}
