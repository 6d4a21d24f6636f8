package io.weft.node.agent.internal;

/** Creates enrollment failures for tests outside this package, whose constructors are package-private. */
public final class EnrollmentFailures {

    private EnrollmentFailures() {
    }

    public static EnrollmentException rejected(String message) {
        return new EnrollmentException(message, false);
    }
}
