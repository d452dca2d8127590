package dev.tessera.inventory.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Dates ("today") are UTC dates; one clock bean so the rule is in one place. */
public class Clocks {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Now, to the microsecond: what a {@code timestamptz} column keeps. A time stored from it reads back as the
     * create answered it (PostgreSQL would round the JDK's nanoseconds), so a GET answers the same JSON.
     */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
