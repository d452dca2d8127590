package dev.tessera.operator.util;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The operator's own background timers: one named daemon thread each, so none holds the JVM at shutdown. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
