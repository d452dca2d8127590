package dev.tessera.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.tessera.operator.api.TrainingJob;
import dev.tessera.operator.api.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

@EnableKubernetesMockClient(crud = true)
class JobFinalizerTest {

    KubernetesClient client;
    KubernetesMockServer server;

    private TrainingJob stored(String name) {
        TrainingJob job = new TrainingJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").build());
        job.setSpec(new TrainingJobSpec());
        return client.resources(TrainingJob.class).inNamespace("team-a").resource(job).create();
    }

    /** The requests the server took since the last call. */
    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> taken = new ArrayList<>();
        for (RecordedRequest r; (r = server.takeRequest(0, TimeUnit.SECONDS)) != null;) {
            taken.add(r);
        }
        return taken;
    }

    @Test
    void addingAndRemovingIsOnePatchEachAndNoRead() throws Exception {
        TrainingJob job = stored("llm");
        requests();
        AtomicInteger conflicts = new AtomicInteger();

        TrainingJob added = JobFinalizer.add(client, job, conflicts::incrementAndGet);

        assertThat(added.getMetadata().getFinalizers()).containsExactly(JobFinalizer.NAME);
        assertThat(requests()).extracting(RecordedRequest::getMethod).containsExactly("PATCH");
        TrainingJob onServer = client.resources(TrainingJob.class).inNamespace("team-a").withName("llm").get();
        assertThat(onServer.getMetadata().getFinalizers()).containsExactly(JobFinalizer.NAME);
        assertThat(added.getMetadata().getResourceVersion()).isEqualTo(onServer.getMetadata().getResourceVersion());
        requests();

        TrainingJob removed = JobFinalizer.remove(client, added, conflicts::incrementAndGet);

        assertThat(removed.getMetadata().getFinalizers()).isEmpty();
        assertThat(requests()).extracting(RecordedRequest::getMethod).containsExactly("PATCH");
        assertThat(client.resources(TrainingJob.class).inNamespace("team-a").withName("llm").get().getMetadata().getFinalizers())
                .isNullOrEmpty();
        assertThat(conflicts).hasValue(0);
    }

    @Test
    void aStaleCopyMeetsAConflictAndIsMadeAgainOnTheStoredJob() throws Exception {
        TrainingJob job = stored("llm");
        TrainingJob other = client.resources(TrainingJob.class).inNamespace("team-a").withName("llm").get();
        other.getMetadata().setLabels(java.util.Map.of("team", "research"));
        client.resources(TrainingJob.class).inNamespace("team-a").resource(other).update();
        AtomicInteger conflicts = new AtomicInteger();

        TrainingJob added = JobFinalizer.add(client, job, conflicts::incrementAndGet);

        assertThat(conflicts).hasValue(1);
        TrainingJob onServer = client.resources(TrainingJob.class).inNamespace("team-a").withName("llm").get();
        assertThat(onServer.getMetadata().getFinalizers()).containsExactly(JobFinalizer.NAME);
        assertThat(onServer.getMetadata().getLabels()).containsEntry("team", "research");
        assertThat(added.getMetadata().getLabels()).containsEntry("team", "research");
    }
}
