package dev.tessera.operator.reconcile;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tessera.operator.api.TrainingJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Records Kubernetes Events on a TrainingJob, so `kubectl describe tj` tells what happened. Like
 * client-go's event recorder, it sends them in the background: a reconcile never waits for an event,
 * and when the API falls far behind, events beyond a bounded queue are dropped (and counted) rather
 * than piling up in memory. And like its event logger, an event the same as one already sent (same
 * job, type, reason and message) is not created again: the earlier one's {@code count} goes up and its
 * {@code lastTimestamp} moves on, so `kubectl describe` says "x5 over 2m" instead of listing five.
 * The last {@value #REMEMBERED} distinct events are remembered for this.
 */
@ApplicationScoped
public class JobEvents {
    private static final Logger LOG = Logger.getLogger(JobEvents.class);
    static final int QUEUE = 2_000;
    /** client-go's maxLruCacheEntries. */
    static final int REMEMBERED = 4_096;

    /** An event already created: its name and how often it happened. Only the sender thread reads and writes these. */
    private record Sent(String name, int count) {
    }

    private final Map<String, Sent> sent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
            return size() > REMEMBERED;
        }
    };

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry metrics;

    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "tessera-events");
                t.setDaemon(true);
                return t;
            }, (r, executor) -> {
                metrics.counter("tessera.events.dropped").increment();
                LOG.debug("event queue full: an event was dropped");
            });

    @PreDestroy
    void stop() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(2, TimeUnit.SECONDS);
    }

    /**
     * {@code <job>.<8 hex>}, the job's name cut so the whole stays a DNS subdomain of at most 253 characters (a
     * TrainingJob's name may be 253 long; an Event name over 253 is refused, and with it the event).
     */
    static String eventName(String job) {
        String suffix = "." + UUID.randomUUID().toString().substring(0, 8);
        String prefix = job.length() + suffix.length() > 253 ? job.substring(0, 253 - suffix.length()) : job;
        // a cut may end on '.' or '-', which may not end a DNS label
        while (!prefix.isEmpty() && !Character.isLetterOrDigit(prefix.charAt(prefix.length() - 1))) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix + suffix;
    }

    public void normal(TrainingJob job, String reason, String message) {
        record(job, "Normal", reason, message);
    }

    public void warning(TrainingJob job, String reason, String message) {
        record(job, "Warning", reason, message);
    }

    private void record(TrainingJob job, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata().withName(eventName(job.getMetadata().getName()))
                .withNamespace(job.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion(job.getApiVersion()).withKind(job.getKind())
                .withName(job.getMetadata().getName()).withNamespace(job.getMetadata().getNamespace())
                .withUid(job.getMetadata().getUid()).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("tessera-operator").endSource()
                .build();
        String key = String.join("\u0000", job.getMetadata().getNamespace(), job.getMetadata().getName(),
                String.valueOf(job.getMetadata().getUid()), type, reason, String.valueOf(message));
        sender.execute(() -> send(key, event, now));
    }

    private void send(String key, Event event, String now) {
        var events = client.v1().events().inNamespace(event.getMetadata().getNamespace());
        try {
            Sent previous = sent.get(key);
            if (previous != null) {
                int count = previous.count() + 1;
                try {
                    // on a stand-in for the recorded Event: withName(...) would read it from the server first
                    Event recorded = new EventBuilder().withNewMetadata().withName(previous.name())
                            .withNamespace(event.getMetadata().getNamespace()).endMetadata().build();
                    events.resource(recorded).patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
                    sent.put(key, new Sent(previous.name(), count));
                    return;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                    sent.remove(key); // expired or deleted meanwhile: record it anew
                }
            }
            events.resource(event).create();
            sent.put(key, new Sent(event.getMetadata().getName(), 1));
        } catch (KubernetesClientException e) {
            // An event is a courtesy to the user; failing to record one must not fail the reconcile.
            LOG.debugf("could not record event %s on %s: %s", event.getReason(), event.getInvolvedObject().getName(),
                    e.getMessage());
        }
    }

    /** Waits until every event recorded so far was sent (or given up on): for tests. */
    void awaitSent() throws Exception {
        sender.submit(() -> { }).get(30, TimeUnit.SECONDS);
    }
}
