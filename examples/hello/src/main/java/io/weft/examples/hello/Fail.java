package io.weft.examples.hello;

import org.osgi.service.component.annotations.Component;

import io.weft.app.api.EdgeOperation;
import io.weft.app.api.Operation;
import io.weft.app.api.OperationRequest;
import io.weft.app.api.OperationResult;

/**
 * {@code POST /api/v1/apps/hello/ops/fail} throws an unchecked exception, as a faulty app
 * would. The Edge API logs it and returns 500 without its message.
 */
@Component(service = Operation.class)
@EdgeOperation(app = "hello", operation = "fail", allow = {"client:hello-client", "role:edge", "role:gateway"})
public class Fail implements Operation {

    @Override
    public OperationResult call(OperationRequest request) {
        throw new IllegalStateException("The fail operation of the hello app always fails");
    }
}
