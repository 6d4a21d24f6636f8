package io.weft.examples.hello;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import io.weft.app.api.EdgeOperation;
import io.weft.app.api.Operation;
import io.weft.app.api.OperationException;
import io.weft.app.api.OperationRequest;
import io.weft.app.api.OperationResult;

/**
 * {@code POST /api/v1/apps/hello/ops/greet} with {@code {"name": "Ada"}} returns
 * {@code {"greeting": "Hello, Ada!", "caller": "client:ci"}}.
 */
@Component(service = Operation.class, configurationPid = HelloConfig.PID)
@Designate(ocd = HelloConfig.class)
@EdgeOperation(app = "hello", operation = "greet", allow = {"client:hello-client", "role:edge", "role:gateway"})
public class Greet implements Operation {

    static final int MAX_NAME_LENGTH = 100;

    private final String greeting;

    @Activate
    public Greet(HelloConfig config) {
        this.greeting = config.greeting();
    }

    @Override
    public OperationResult call(OperationRequest request) throws OperationException {
        Object name = request.jsonObject().get("name");
        return OperationResult.ok(Map.of("greeting", greeting(name), "caller", request.caller().toString()));
    }

    String greeting(Object name) throws OperationException {
        if (!(name instanceof String text) || text.isBlank()) {
            throw OperationException.badRequest("name", "The field 'name' is missing or not a text. Send"
                    + " {\"name\": \"Ada\"}.");
        }
        if (text.length() > MAX_NAME_LENGTH) {
            throw OperationException.badRequest("name", "The name has " + text.length()
                    + " characters, more than the maximum of " + MAX_NAME_LENGTH + ".");
        }
        return greeting + ", " + text.strip() + "!";
    }
}
