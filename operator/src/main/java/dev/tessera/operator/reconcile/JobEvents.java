package dev.tessera.operator.reconcile;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Records Kubernetes Events on a TrainingJob, so `kubectl describe tj` tells what happened. Like
 * client-go's event recorder, it sends them in the background: a reconcile never waits for an event,
 * and when the API falls far behind, events beyond a bounded queue are dropped (and counted) rather
 * than piling up in memory.
 */
@ApplicationScoped
public class JobEvents {
    private static final Logger LOG = Logger.getLogger(JobEvents.class);
    static final int QUEUE = 2_000;

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

    public void normal(TrainingJob job, String reason, String message) {
        record(job, "Normal", reason, message);
    }

    public void warning(TrainingJob job, String reason, String message) {
        record(job, "Warning", reason, message);
    }

    private void record(TrainingJob job, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata().withName(job.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(job.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion(job.getApiVersion()).withKind(job.getKind())
                .withName(job.getMetadata().getName()).withNamespace(job.getMetadata().getNamespace())
                .withUid(job.getMetadata().getUid()).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("tessera-operator").endSource()
                .build();
        sender.execute(() -> {
            try {
                client.v1().events().inNamespace(job.getMetadata().getNamespace()).resource(event).create();
            } catch (KubernetesClientException e) {
                // An event is a courtesy to the user; failing to record one must not fail the reconcile.
                LOG.debugf("could not record event %s on %s: %s", reason, job.getMetadata().getName(), e.getMessage());
            }
        });
    }
}
