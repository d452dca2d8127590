package dev.tessera.scheduler.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Inventory's {@code GET /api/v1/availability} answer, the parts the scheduler reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Availability(Instant generatedAt, List<QuotaEntry> quotas, List<DeliveryEntry> deliveries) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record QuotaEntry(String team, String chip, Integer quantity, String from, String to) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DeliveryEntry(Long id, String chip, Integer quantity, Integer remaining, LocalDate scheduledDate,
            String state, String site) {
    }
}
