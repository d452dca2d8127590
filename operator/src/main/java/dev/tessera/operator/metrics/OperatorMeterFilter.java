package dev.tessera.operator.metrics;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * JOSDK registers some meters both with and without an {@code action} tag; Prometheus requires one
 * set of tag keys per name, and the mismatch would stop event processing. Every JOSDK meter gets the tag.
 */
@Singleton
public class OperatorMeterFilter {
    @Produces
    @Singleton
    public MeterFilter uniformJosdkTags() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                boolean josdk = id.getName().startsWith("operator.sdk")
                        || id.getTags().stream().anyMatch(t -> t.getKey().startsWith("controller"));
                if (josdk && id.getTag("action") == null) {
                    return id.withTag(Tag.of("action", "none"));
                }
                return id;
            }
        };
    }
}
