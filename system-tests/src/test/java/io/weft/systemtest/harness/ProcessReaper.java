package io.weft.systemtest.harness;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last resort against leaked processes: a JVM shutdown hook that destroys every Karaf
 * process still registered when the test JVM exits, for example after Ctrl-C or when
 * failsafe ends a fork that ran past its timeout. A JVM killed with SIGKILL runs no hook.
 */
final class ProcessReaper {

    private static final Set<KarafProcess> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Thread HOOK = new Thread(ProcessReaper::destroyAll, "weft-process-reaper");

    static {
        Runtime.getRuntime().addShutdownHook(HOOK);
    }

    private ProcessReaper() {
    }

    static void register(KarafProcess process) {
        RUNNING.add(process);
    }

    static void unregister(KarafProcess process) {
        RUNNING.remove(process);
    }

    private static void destroyAll() {
        for (KarafProcess process : List.copyOf(RUNNING)) {
            System.err.println("Test JVM is exiting: destroying " + process + " and its child processes");
            process.destroyForcibly();
        }
    }
}
