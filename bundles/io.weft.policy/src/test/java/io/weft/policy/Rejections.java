package io.weft.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Runs code that must reject its input and returns the exception for problem-by-problem asserts. */
final class Rejections {

    private Rejections() {
    }

    static InvalidPolicyException rejection(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);

        assertThat(thrown).isInstanceOf(InvalidPolicyException.class);
        return (InvalidPolicyException) thrown;
    }
}
