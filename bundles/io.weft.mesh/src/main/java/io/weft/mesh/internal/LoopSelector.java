package io.weft.mesh.internal;

import io.weft.mesh.IoLoop;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelectionKey;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The selector of one MINA I/O processor, which also serves the channels and tasks of an
 * {@link IoLoop} on the processor's thread.
 *
 * <p>MINA's processor takes every key of its selector for one of its sessions. So this selector
 * wraps the JDK's: MINA's channels get keys of this selector ({@link LoopKey}), each backed by a
 * key of the JDK selector, and only those appear in {@link #keys()} and
 * {@link #selectedKeys()}. Channels of the loop are registered on the JDK selector alone and
 * handled inside {@link #select(long)}, before it returns to MINA.
 *
 * <p>{@link #select(long)} returns only when a session is ready, MINA called {@link #wakeup()},
 * or the timeout passed. MINA takes an early return with nothing selected for the JDK's
 * spinning-selector bug and replaces the selector after ten of them.
 */
final class LoopSelector extends AbstractSelector implements IoLoop {

    private static final Logger LOG = LoggerFactory.getLogger(LoopSelector.class);

    private final Selector jdk;
    /** The keys of MINA's channels, which {@link #keys()} shows. */
    private final Set<LoopKey> loopKeys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> selected = new HashSet<>();
    private final Set<SelectionKey> keysView = new KeysView();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean minaWakeup = new AtomicBoolean();
    /** The thread in {@link #select}, which MINA may replace after a processor idled. */
    private volatile Thread thread;
    /** Set before MINA disposes the processor, so that {@link #keys()} may become empty and its thread may end. */
    private volatile boolean stopping;

    LoopSelector(SelectorProvider provider, Selector jdk) {
        super(provider);
        this.jdk = jdk;
    }

    // --- IoLoop ---------------------------------------------------------------------------

    @Override
    public boolean execute(Runnable task) {
        if (!isOpen()) {
            return false;
        }
        tasks.add(task);
        jdk.wakeup();
        return true;
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public SelectionKey register(SelectableChannel channel, int ops, ChannelHandler handler) throws IOException {
        return channel.register(jdk, ops, handler);
    }

    /** Lets the processor's thread end once MINA's sessions are gone; call before disposing the processor. */
    void stop() {
        stopping = true;
        jdk.wakeup();
    }

    // --- Selector -------------------------------------------------------------------------

    @Override
    protected SelectionKey register(AbstractSelectableChannel channel, int ops, Object attachment) {
        LoopKey key = new LoopKey(this, channel);
        key.attach(attachment);
        try {
            // Within the channel's registration lock, which the caller holds and which is reentrant.
            key.jdkKey = channel.register(jdk, ops, key);
        } catch (ClosedChannelException e) {
            throw new CancelledKeyException();
        }
        loopKeys.add(key);
        return key;
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return keysView;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return selected;
    }

    @Override
    public int selectNow() throws IOException {
        return select(-1);
    }

    @Override
    public int select() throws IOException {
        return select(0);
    }

    /**
     * Serves the loop's channels and tasks until one of MINA's channels is ready, MINA wakes the
     * selector, or {@code timeout} ms pass (0 waits without limit, a negative value not at all).
     */
    @Override
    public int select(long timeout) throws IOException {
        ensureOpen();
        thread = Thread.currentThread();
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0;
        while (true) {
            runTasks();
            deregisterCancelled();
            long remaining = timeout > 0 ? TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) : 0;
            boolean woken = minaWakeup.getAndSet(false);
            boolean last = woken || stopping || timeout < 0 || (timeout > 0 && remaining <= 0);
            if (last || !tasks.isEmpty()) {
                jdk.selectNow();
            } else {
                jdk.select(remaining);
            }
            int ready = dispatch();
            runTasks();
            // Tasks alone do not end the call, because MINA would take the early return for a spinning selector.
            if (ready > 0 || last || minaWakeup.getAndSet(false)) {
                return ready;
            }
        }
    }

    @Override
    public Selector wakeup() {
        minaWakeup.set(true);
        jdk.wakeup();
        return this;
    }

    @Override
    protected void implCloseSelector() throws IOException {
        runTasks();
        List<ChannelHandler> handlers = new ArrayList<>();
        for (SelectionKey key : jdk.keys()) {
            if (key.attachment() instanceof ChannelHandler handler) {
                handlers.add(handler);
            }
        }
        tasks.clear();
        for (LoopKey key : loopKeys) {
            deregister(key);
        }
        loopKeys.clear();
        jdk.close();
        for (ChannelHandler handler : handlers) {
            try {
                handler.loopClosed();
            } catch (RuntimeException e) {
                LOG.error("Mesh I/O loop: closing a channel that the loop served failed", e);
            }
        }
    }

    /**
     * Hands the ready channels of the loop to their handlers and adds MINA's to the selected
     * keys; returns how many of MINA's are selected.
     */
    private int dispatch() {
        Set<SelectionKey> ready = jdk.selectedKeys();
        for (SelectionKey key : ready) {
            Object attachment = key.attachment();
            if (attachment instanceof LoopKey loopKey) {
                if (loopKey.isValid()) {
                    selected.add(loopKey);
                }
            } else if (attachment instanceof ChannelHandler handler && key.isValid()) {
                try {
                    handler.ready(key);
                } catch (RuntimeException e) {
                    LOG.error("Mesh I/O loop: handling {} failed", key.channel(), e);
                }
            }
        }
        ready.clear();
        return selected.size();
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Mesh I/O loop: a task failed", e);
            }
        }
    }

    /**
     * Deregisters the cancelled keys of MINA's channels and cancels their JDK keys. This runs
     * before the JDK selector deregisters those, so that a closed channel is deregistered from
     * both selectors when the JDK checks whether it may release the socket.
     */
    private void deregisterCancelled() {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            if (cancelled.isEmpty()) {
                return;
            }
            for (SelectionKey key : cancelled) {
                LoopKey loopKey = (LoopKey) key;
                loopKeys.remove(loopKey);
                selected.remove(loopKey);
                deregister(loopKey);
                loopKey.jdkKey.cancel();
            }
            cancelled.clear();
        }
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
    }

    /**
     * MINA's view of the keys. It iterates them for its sessions and ends its thread when the
     * view is empty, so the view counts as empty only once the processor is stopping.
     */
    private final class KeysView extends AbstractSet<SelectionKey> {

        @Override
        public Iterator<SelectionKey> iterator() {
            return new ArrayList<SelectionKey>(loopKeys).iterator();
        }

        @Override
        public int size() {
            return loopKeys.size();
        }

        @Override
        public boolean isEmpty() {
            return stopping && loopKeys.isEmpty();
        }
    }

    /** The key of one of MINA's channels, backed by the channel's key in the JDK selector. */
    private static final class LoopKey extends AbstractSelectionKey {

        private final LoopSelector selector;
        private final SelectableChannel channel;
        private volatile SelectionKey jdkKey;

        LoopKey(LoopSelector selector, SelectableChannel channel) {
            this.selector = selector;
            this.channel = channel;
        }

        @Override
        public SelectableChannel channel() {
            return channel;
        }

        @Override
        public Selector selector() {
            return selector;
        }

        @Override
        public int interestOps() {
            return jdkKey.interestOps();
        }

        /**
         * Sets the interest, and wakes the loop when another thread changed it, such as a
         * {@code resumeRead} of a session from another session's thread. The JDK's selector
         * takes a new interest only at its next select, which would otherwise wait for the
         * loop's next timeout.
         */
        @Override
        public SelectionKey interestOps(int ops) {
            jdkKey.interestOps(ops);
            if (!selector.inLoop()) {
                selector.jdk.wakeup();
            }
            return this;
        }

        /** Returns no ready operations once the JDK key was cancelled, as when the channel closed. */
        @Override
        public int readyOps() {
            SelectionKey key = jdkKey;
            return key.isValid() ? key.readyOps() : 0;
        }
    }
}
