package dev.tessera.local.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What kube-apiserver's {@code --event-ttl} does (default one hour) and the mock does not: removes
 * Events a while after they were last written, so an API that stays up for days does not keep every
 * Event it was ever sent. An Event's last write is the latest of its {@code creationTimestamp}, its
 * {@code lastTimestamp} or {@code eventTime}, and its series' {@code lastObservedTime}: a repeated
 * Event, updated with a higher count, lives on from its last repetition. Expired Events are deleted
 * through the API itself, so watchers see them go. Both the {@code v1} and the
 * {@code events.k8s.io/v1} Events are covered.
 */
final class EventExpiry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventExpiry.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLLECTIONS = List.of("/api/v1/events", "/apis/events.k8s.io/v1/events");

    /** The stored objects of a collection path, as JSON. */
    interface Stored {
        List<String> objects(String collectionPath);
    }

    private final KubernetesClient client;
    private final Stored stored;
    private final Clock clock;
    private final Duration ttl;
    private ScheduledExecutorService loop;

    EventExpiry(KubernetesClient client, Stored stored, Clock clock, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("event TTL must be positive, got " + ttl);
        }
        this.client = client;
        this.stored = stored;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** Sweeps every {@code ttl / 60}, at least once a second and at most once a minute. */
    synchronized EventExpiry start() {
        long every = Math.min(60_000, Math.max(1_000, ttl.toMillis() / 60));
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "event-expiry");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    Duration ttl() {
        return ttl;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (KubernetesClientException | IllegalStateException e) {
            LOG.log(Level.FINE, "event expiry pass failed, the next pass retries", e);
        }
    }

    /** One pass: deletes every Event last written more than the TTL ago; answers how many it deleted. */
    synchronized int sweep() {
        Instant cutoff = clock.instant().minus(ttl);
        int deleted = 0;
        for (String collection : COLLECTIONS) {
            for (String json : stored.objects(collection)) {
                JsonNode event;
                try {
                    event = JSON.readTree(json);
                } catch (IOException e) {
                    continue;
                }
                Instant written = lastWrite(event);
                if (written != null && written.isBefore(cutoff) && delete(collection, event)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private boolean delete(String collection, JsonNode event) {
        JsonNode metadata = event.path("metadata");
        String namespace = metadata.path("namespace").asText("");
        String name = metadata.path("name").asText("");
        if (name.isEmpty() || namespace.isEmpty()) {
            return false;
        }
        try {
            List<?> gone = collection.startsWith("/api/")
                    ? client.v1().events().inNamespace(namespace).withName(name).delete()
                    : client.events().v1().events().inNamespace(namespace).withName(name).delete();
            return !gone.isEmpty();
        } catch (KubernetesClientException e) {
            return false; // the next pass tries again
        }
    }

    /** The latest of the times an Event says it was written; {@code null} when it carries none. */
    static Instant lastWrite(JsonNode event) {
        Instant latest = null;
        for (JsonNode time : List.of(event.path("metadata").path("creationTimestamp"), event.path("lastTimestamp"),
                event.path("eventTime"), event.path("deprecatedLastTimestamp"), event.path("series").path("lastObservedTime"))) {
            Instant instant = parse(time);
            if (instant != null && (latest == null || instant.isAfter(latest))) {
                latest = instant;
            }
        }
        return latest;
    }

    private static Instant parse(JsonNode time) {
        if (!time.isTextual() || time.asText().isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(time.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.shutdownNow();
        }
    }
}
