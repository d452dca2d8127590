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
        SimulatedClock source = this;
        // A view in another zone that follows this clock as the simulation advances it.
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return source.withZone(other);
            }

            @Override
            public Instant instant() {
                return source.instant();
            }
        };
    }

    @Override
    public Instant instant() {
        return now;
    }
}
