package dev.tessera.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tessera.operator.api.TrainingJob;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

@EnableKubernetesMockClient(crud = true)
class JobEventsTest {

    KubernetesClient client;
    KubernetesMockServer server;

    private final JobEvents events = new JobEvents();

    private JobEvents events() {
        events.client = client;
        events.metrics = new SimpleMeterRegistry();
        return events;
    }

    @AfterEach
    void stop() throws InterruptedException {
        events.stop();
    }

    private static TrainingJob job(String name, String uid) {
        TrainingJob job = new TrainingJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").withUid(uid).build());
        return job;
    }

    private List<Event> stored() {
        return client.v1().events().inNamespace("team-a").list().getItems().stream()
                .sorted(Comparator.comparing(e -> e.getInvolvedObject().getName() + e.getReason() + e.getMessage())).toList();
    }

    @Test
    void theSameEventAgainCountsUpOnTheOneAlreadyRecorded() throws Exception {
        JobEvents recorder = events();
        TrainingJob job = job("llm", "uid-1");
        recorder.warning(job, "WorkerRestarting", "worker llm-s0-w0 failed on pool ascend-a");
        recorder.warning(job, "WorkerRestarting", "worker llm-s0-w0 failed on pool ascend-a");
        recorder.warning(job, "WorkerRestarting", "worker llm-s0-w0 failed on pool ascend-a");
        recorder.awaitSent();

        List<Event> stored = stored();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).getCount()).isEqualTo(3);
        assertThat(stored.get(0).getType()).isEqualTo("Warning");
        assertThat(stored.get(0).getInvolvedObject().getUid()).isEqualTo("uid-1");
        assertThat(stored.get(0).getLastTimestamp()).isGreaterThanOrEqualTo(stored.get(0).getFirstTimestamp());
    }

    @Test
    void anotherMessageReasonTypeOrJobIsAnotherEvent() throws Exception {
        JobEvents recorder = events();
        recorder.warning(job("llm", "uid-1"), "WorkerRestarting", "worker llm-s0-w0 failed on pool ascend-a");
        recorder.warning(job("llm", "uid-1"), "WorkerRestarting", "worker llm-s1-w0 failed on pool ascend-a");
        recorder.warning(job("llm", "uid-1"), "PoolUnhealthy", "worker llm-s0-w0 failed on pool ascend-a");
        recorder.normal(job("llm", "uid-1"), "WorkerRestarting", "worker llm-s0-w0 failed on pool ascend-a");
        recorder.warning(job("other", "uid-2"), "WorkerRestarting", "worker llm-s0-w0 failed on pool ascend-a");
        // the same name made again is another job
        recorder.warning(job("llm", "uid-3"), "WorkerRestarting", "worker llm-s0-w0 failed on pool ascend-a");
        recorder.awaitSent();

        assertThat(stored()).hasSize(6).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
    }

    @Test
    void anEventGoneFromTheApiIsRecordedAnew() throws Exception {
        JobEvents recorder = events();
        TrainingJob job = job("llm", "uid-1");
        recorder.normal(job, "Placed", "2 shards on h800-a");
        recorder.awaitSent();
        String first = stored().get(0).getMetadata().getName();
        client.v1().events().inNamespace("team-a").withName(first).delete();

        recorder.normal(job, "Placed", "2 shards on h800-a");
        recorder.normal(job, "Placed", "2 shards on h800-a");
        recorder.awaitSent();

        List<Event> stored = stored();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).getMetadata().getName()).isNotEqualTo(first);
        assertThat(stored.get(0).getCount()).isEqualTo(2);
    }

    @Test
    void countingUpIsOnePatchAndNoRead() throws Exception {
        JobEvents recorder = events();
        TrainingJob job = job("llm", "uid-1");
        recorder.warning(job, "WorkerRestarting", "worker llm-s0-w0 failed on pool ascend-a");
        recorder.awaitSent();
        int before = server.getRequestCount();
        while (server.takeRequest(0, java.util.concurrent.TimeUnit.SECONDS) != null) {
            // drain what the first recording sent
        }

        recorder.warning(job, "WorkerRestarting", "worker llm-s0-w0 failed on pool ascend-a");
        recorder.awaitSent();

        assertThat(server.getRequestCount() - before).isEqualTo(1);
        var request = server.takeRequest(0, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getPath()).isEqualTo("/api/v1/namespaces/team-a/events/" + stored().get(0).getMetadata().getName());
        assertThat(stored().get(0).getCount()).isEqualTo(2);
    }

    @Test
    void anEventNameStaysWithin253CharactersForTheLongestJobName() {
        String longest = "a".repeat(200) + "." + "b".repeat(45) + "-c" + "d".repeat(5);
        org.assertj.core.api.Assertions.assertThat(longest).hasSize(253);
        String name = JobEvents.eventName(longest);
        org.assertj.core.api.Assertions.assertThat(name).hasSizeLessThanOrEqualTo(253)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*").startsWith("a".repeat(200) + ".b");
        org.assertj.core.api.Assertions.assertThat(JobEvents.eventName("ernie")).matches("ernie\\.[0-9a-f]{8}");
    }
}
