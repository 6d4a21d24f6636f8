package io.weft.node.edge.internal;

/**
 * The race between an operation that runs on the server's thread and its deadline: whichever
 * comes first owns the response. At the deadline the guard interrupts the operation's thread,
 * but only while the operation still runs, so the interrupt never reaches the server's own
 * code after the operation returned. Thread-safe.
 */
final class CallGuard {

    private enum State { RUNNING, FINISHED, EXPIRED }

    private final Thread thread;
    private State state = State.RUNNING;

    /** @param thread the thread that runs the operation */
    CallGuard(Thread thread) {
        this.thread = thread;
    }

    /** Marks the deadline as passed and interrupts the operation; returns false when it had already finished. */
    synchronized boolean expire() {
        if (state != State.RUNNING) {
            return false;
        }
        state = State.EXPIRED;
        thread.interrupt();
        return true;
    }

    /**
     * Marks the operation as finished and clears an interrupt that the deadline sent, so the
     * thread can go on serving. Returns false when the deadline had passed first.
     */
    synchronized boolean finish() {
        boolean first = state == State.RUNNING;
        if (first) {
            state = State.FINISHED;
        }
        Thread.interrupted();
        return first;
    }
}
