package dev.tessera.bench.sim;

import java.util.Arrays;

/** Durations in nanoseconds, appended without boxing: a long trace makes millions of calls. */
public final class LatencyLog {

    private long[] nanos = new long[1024];
    private int size;

    public void add(long value) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = value;
    }

    public int size() {
        return size;
    }

    public long[] toArray() {
        return Arrays.copyOf(nanos, size);
    }
}
