package io.weft.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Runs code that must reject its input and returns the exception for field-by-field asserts. */
final class Rejections {

    private Rejections() {
    }

    static InvalidFleetInputException rejection(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);

        assertThat(thrown).isInstanceOf(InvalidFleetInputException.class);
        return (InvalidFleetInputException) thrown;
    }
}
