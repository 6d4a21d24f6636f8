package io.weft.examples.hello;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.weft.app.api.EdgeOperation;
import io.weft.app.api.Operation;
import io.weft.app.api.OperationException;
import io.weft.app.api.OperationRequest;
import io.weft.app.api.OperationResult;

/**
 * {@code POST /api/v1/apps/hello/ops/wait} with {@code {"millis": 200}} sleeps that long and
 * returns. Its deadline is one second, so a longer wait shows the Edge API's 504 and the
 * interruption of the operation's thread.
 */
@Component(service = Operation.class)
@EdgeOperation(app = "hello", operation = "wait", timeoutMillis = Wait.TIMEOUT_MILLIS,
        allow = {"client:hello-client", "role:edge", "role:gateway"})
public class Wait implements Operation {

    static final long TIMEOUT_MILLIS = 1000;
    static final long MAX_MILLIS = 60_000;

    @Override
    public OperationResult call(OperationRequest request) throws OperationException {
        long millis = millis(request.jsonObject().get("millis"));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationException(503, "interrupted", "The wait was interrupted after its deadline.", null);
        }
        return OperationResult.ok(Map.of("waitedMillis", millis));
    }

    private static long millis(Object value) throws OperationException {
        if (!(value instanceof Number number) || number.longValue() < 0 || number.longValue() > MAX_MILLIS) {
            throw OperationException.badRequest("millis", "The field 'millis' must be a number of milliseconds"
                    + " from 0 to " + MAX_MILLIS + ", such as {\"millis\": 200}; it is " + value + ".");
        }
        return number.longValue();
    }
}
