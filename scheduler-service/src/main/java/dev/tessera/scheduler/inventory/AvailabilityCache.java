package dev.tessera.scheduler.inventory;

import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.catalog.ChipModel;
import dev.tessera.scheduler.engine.Delivery;
import dev.tessera.scheduler.engine.Quota;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The last quotas and deliveries inventory answered. Polled in the background so a placement never
 * waits for (or fails on) inventory; when inventory is unreachable the last answer stays in use.
 */
@ApplicationScoped
public class AvailabilityCache {

    private static final Logger LOG = Logger.getLogger(AvailabilityCache.class);

    /** What the cache knows and how fresh it is. */
    public record Status(boolean everLoaded, boolean reachable, Instant lastSuccess, Instant lastAttempt, String lastError) {
        public boolean degraded() {
            return !reachable;
        }
    }

    @Inject
    @RestClient
    InventoryClient client;

    @Inject
    ChipCatalog catalog;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tessera.inventory.poll-interval", defaultValue = "30s")
    Duration pollInterval;

    @ConfigProperty(name = "tessera.inventory.poll-enabled", defaultValue = "true")
    boolean pollEnabled;

    private volatile Status status = new Status(false, false, null, null, "not asked yet");
    private volatile List<Quota> quotas = List.of();
    private volatile List<Delivery> deliveries = List.of();
    private final List<BiConsumer<List<Quota>, List<Delivery>>> listeners = new ArrayList<>();
    private ScheduledExecutorService poller;

    void start(@Observes StartupEvent ev) {
        if (pollEnabled) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "inventory-poller");
                t.setDaemon(true);
                return t;
            });
            poller.execute(this::poll);
        }
    }

    /**
     * Until inventory has answered once, asked again every {@link #FIRST_READ_RETRY} (inventory and scheduler
     * usually start side by side, and placements made before the first answer apply no quotas); then every
     * poll interval.
     */
    static final Duration FIRST_READ_RETRY = Duration.ofSeconds(1);

    private void poll() {
        Status s = refresh();
        Duration next = s.everLoaded() || pollInterval.compareTo(FIRST_READ_RETRY) < 0 ? pollInterval : FIRST_READ_RETRY;
        try {
            poller.schedule(this::poll, Math.max(1, next.toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Called with every successfully read availability (and at once with the current one). */
    public synchronized void onChange(BiConsumer<List<Quota>, List<Delivery>> listener) {
        listeners.add(listener);
        listener.accept(quotas, deliveries);
    }

    /** Asks inventory once; on failure keeps the last answer and records why. */
    public synchronized Status refresh() {
        Instant now = clock.instant();
        try {
            Availability a = client.availability();
            quotas = quotasInForce(a, now);
            deliveries = deliveries(a);
            status = new Status(true, true, now, now, null);
            listeners.forEach(l -> l.accept(quotas, deliveries));
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (status.reachable()) {
                LOG.warnf("inventory unreachable, keeping the last known quotas and deliveries: %s", why);
            }
            status = new Status(status.everLoaded(), false, status.lastSuccess(), now, why);
        }
        return status;
    }

    public Status status() {
        return status;
    }

    /** A sentence for placement explanations when inventory could not be read, or null. */
    public String degradedNote() {
        Status s = status;
        if (!s.degraded()) {
            return null;
        }
        return s.everLoaded()
                ? "Inventory is unreachable: quotas and deliveries are as last read at " + s.lastSuccess() + "."
                : "Inventory has not been reachable since the scheduler started: no team quotas or deliveries are known, so none were applied.";
    }

    private List<Quota> quotasInForce(Availability a, Instant now) {
        List<Quota> out = new ArrayList<>();
        for (Availability.QuotaEntry q : a.quotas() == null ? List.<Availability.QuotaEntry>of() : a.quotas()) {
            if (q == null || q.team() == null || q.chip() == null || q.quantity() == null) {
                continue;
            }
            Instant from = instant(q.from());
            Instant to = instant(q.to());
            if ((from == null || !from.isAfter(now)) && (to == null || to.isAfter(now))) {
                out.add(new Quota(q.team(), q.chip(), q.quantity()));
            }
        }
        return List.copyOf(out);
    }

    private List<Delivery> deliveries(Availability a) {
        List<Delivery> out = new ArrayList<>();
        for (Availability.DeliveryEntry d : a.deliveries() == null ? List.<Availability.DeliveryEntry>of() : a.deliveries()) {
            if (d == null || d.chip() == null || d.scheduledDate() == null || "CANCELLED".equals(d.state())
                    || "RECEIVED".equals(d.state())) {
                continue;
            }
            int left = d.remaining() != null ? d.remaining() : d.quantity() != null ? d.quantity() : 0;
            int perNode = catalog.find(d.chip()).map(ChipModel::chipsPerNode).orElse(8);
            if (left > 0) {
                out.add(new Delivery(d.chip(), left, d.scheduledDate(), perNode));
            }
        }
        return List.copyOf(out);
    }

    /** Inventory may send dates or timestamps; an unreadable bound counts as open. */
    static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(value).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
