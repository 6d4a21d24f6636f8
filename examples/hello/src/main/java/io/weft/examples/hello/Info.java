package io.weft.examples.hello;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.weft.app.api.EdgeOperation;
import io.weft.app.api.Operation;
import io.weft.app.api.OperationRequest;
import io.weft.app.api.OperationResult;

/**
 * {@code GET /api/v1/apps/hello/ops/info?name=Ada} returns the configured greeting and, with a
 * name, the greeting for it. It only reads, so it is declared safe and accepts {@code GET}.
 */
@Component(service = Operation.class, configurationPid = HelloConfig.PID)
@EdgeOperation(app = "hello", operation = "info", safe = true,
        allow = {"client:hello-client", "role:edge", "role:gateway"})
public class Info implements Operation {

    private final String greeting;

    @Activate
    public Info(HelloConfig config) {
        this.greeting = config.greeting();
    }

    @Override
    public OperationResult call(OperationRequest request) {
        return request.parameter("name")
                .map(name -> OperationResult.ok(Map.of("greeting", greeting, "text", greeting + ", " + name + "!")))
                .orElseGet(() -> OperationResult.ok(Map.of("greeting", greeting)));
    }
}
