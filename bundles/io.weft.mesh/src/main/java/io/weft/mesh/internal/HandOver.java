package io.weft.mesh.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hand-over of a buffer that one thread lends to another only until its own call returns,
 * such as the bytes passed to a stream's write, which another thread may encrypt. The lender
 * and the borrower both {@link #take} it: the borrower to use the buffer, the lender, when the
 * borrower has not started by the time the loan ends, to replace it with a copy. The thread that
 * loses waits in {@link #awaitReleased()} until the winner calls {@link #release()}, which takes
 * as long as one use or one copy.
 */
final class HandOver {

    private static final int PENDING = 0;
    private static final int TAKEN = 1;
    private static final int RELEASED = 2;

    private final AtomicInteger state;

    private HandOver(int state) {
        this.state = new AtomicInteger(state);
    }

    /** Returns the hand-over of a lent buffer. */
    static HandOver lent() {
        return new HandOver(PENDING);
    }

    /** Returns the hand-over of a buffer that no thread writes to again, which needs no hand-over. */
    static HandOver owned() {
        return new HandOver(RELEASED);
    }

    /** Returns true when the caller may use the lent buffer until it calls {@link #release()}. */
    boolean take() {
        return state.compareAndSet(PENDING, TAKEN);
    }

    /** Ends a {@link #take}: the lent buffer is no longer needed. */
    void release() {
        state.set(RELEASED);
    }

    /** Waits until the thread that took the buffer released it. */
    void awaitReleased() {
        int spins = 0;
        while (state.get() != RELEASED) {
            if (++spins < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * Ends the loan, for the lender: runs {@code copy} when the borrower has not started, or
     * waits while it uses the buffer.
     */
    void endLoan(Runnable copy) {
        if (take()) {
            try {
                copy.run();
            } finally {
                // Even a failed copy must not leave the sending thread waiting for good.
                release();
            }
        } else {
            awaitReleased();
        }
    }
}
