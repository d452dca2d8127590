package dev.tessera.operator.reconcile;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.tessera.operator.api.TrainingJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The operator's finalizer on a TrainingJob, added and removed by the reconciler itself within the pass
 * that needs it: the finalizer is stored before the scheduler is first asked for chips, and removed only
 * once they are released. Each change is one JSON patch guarded by the resourceVersion it was made from,
 * so a concurrent change answers 409 and no other controller's finalizer is ever dropped; on a 409 the
 * job is read again and the change made once more on what is stored. A change is one request: the patch
 * names the job it was made from, so nothing is read first.
 */
final class JobFinalizer {
    static final String NAME = "trainingjobs.tessera.dev/finalizer";

    private JobFinalizer() {
    }

    static boolean present(TrainingJob job) {
        return job.getMetadata().getFinalizers() != null && job.getMetadata().getFinalizers().contains(NAME);
    }

    /**
     * Stores the finalizer on the job and answers the job as stored after it: {@code job} itself when it
     * already carries it, the stored job (its spec and status included) when a concurrent change had to be
     * read first, or {@code null} when the job is gone or being deleted.
     */
    static TrainingJob add(KubernetesClient client, TrainingJob job, Runnable onConflict) {
        return change(client, job, true, onConflict);
    }

    /** Takes the finalizer off the job; answers the job as stored after it, or {@code null} when it is gone. */
    static TrainingJob remove(KubernetesClient client, TrainingJob job, Runnable onConflict) {
        return change(client, job, false, onConflict);
    }

    private static TrainingJob change(KubernetesClient client, TrainingJob job, boolean add, Runnable onConflict) {
        TrainingJob current = job;
        for (int attempt = 0;; attempt++) {
            if (current == null || (add && current.isMarkedForDeletion())) {
                return null;
            }
            if (add == present(current)) {
                return current;
            }
            try {
                // on the job itself, not withName(...): the client would read the job from the server before every patch
                TrainingJob stored = client.resources(TrainingJob.class).inNamespace(current.getMetadata().getNamespace())
                        .resource(current).patch(PatchContext.of(PatchType.JSON), patch(current, add));
                if (stored == null || !current.getMetadata().getUid().equals(stored.getMetadata().getUid())) {
                    return null;
                }
                current.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
                current.getMetadata().setFinalizers(stored.getMetadata().getFinalizers());
                return current;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return null;
                }
                if (e.getCode() != 409 || attempt > 0) {
                    throw e;
                }
                onConflict.run();
                String uid = current.getMetadata().getUid();
                current = client.resources(TrainingJob.class).inNamespace(current.getMetadata().getNamespace())
                        .withName(current.getMetadata().getName()).get();
                if (current != null && !uid.equals(current.getMetadata().getUid())) {
                    return null;
                }
            }
        }
    }

    /** The resourceVersion in the patch is a precondition: the API server answers 409 when it is no longer current. */
    static String patch(TrainingJob job, boolean add) {
        List<String> finalizers = new ArrayList<>(job.getMetadata().getFinalizers() == null ? List.of()
                : job.getMetadata().getFinalizers());
        if (add) {
            finalizers.add(NAME);
        } else {
            finalizers.removeIf(NAME::equals);
        }
        ArrayNode ops = JsonNodeFactory.instance.arrayNode();
        ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion")
                .put("value", job.getMetadata().getResourceVersion());
        // "add" on a member that exists replaces it (RFC 6902), so this holds with or without a list before
        ArrayNode values = ops.addObject().put("op", "add").put("path", "/metadata/finalizers").putArray("value");
        finalizers.forEach(values::add);
        return ops.toString();
    }
}
