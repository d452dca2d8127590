package dev.tessera.bench.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the simulation sets: the engine reads simulated time, never the wall clock. */
public final class SimulatedClock extends Clock {

    private final Instant origin;
    private Instant now;

    public SimulatedClock(Instant origin) {
        this.origin = origin;
        this.now = origin;
    }

    public void setSeconds(double seconds) {
        now = origin.plusNanos(Math.round(seconds * 1e9));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("simulated time is UTC only");
    }

    @Override
    public Instant instant() {
        return now;
    }
}
