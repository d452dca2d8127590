package dev.tessera.bench.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Wall time and CPU time of placement decisions. Wall time is what a caller waits; on a shared
 * machine it also holds time the thread was not running, which CPU time leaves out.
 */
public final class DecisionTimes {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final LatencyLog wall = new LatencyLog();
    private final LatencyLog cpu = new LatencyLog();
    private final boolean cpuTimed = THREADS.isCurrentThreadCpuTimeSupported();

    /** Runs {@code decision} and records how long it took. */
    public <T> T time(java.util.function.Supplier<T> decision) {
        long cpu0 = cpuTimed ? THREADS.getCurrentThreadCpuTime() : 0;
        long wall0 = System.nanoTime();
        T result = decision.get();
        long wallNanos = System.nanoTime() - wall0;
        long cpuNanos = cpuTimed ? THREADS.getCurrentThreadCpuTime() - cpu0 : wallNanos;
        wall.add(wallNanos);
        cpu.add(cpuNanos);
        return result;
    }

    public int size() {
        return wall.size();
    }

    public long[] wallNanos() {
        return wall.toArray();
    }

    public long[] cpuNanos() {
        return cpu.toArray();
    }
}
