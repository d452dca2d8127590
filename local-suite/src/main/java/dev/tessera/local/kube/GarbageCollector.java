package dev.tessera.local.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What kube-controller-manager's garbage collector does and the mock does not: deletes Pods,
 * Services and ConfigMaps whose owners (by uid) are gone, so deleting a TrainingJob removes its workers.
 */
final class GarbageCollector implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());

    private final KubernetesClient client;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "garbage-collector");
        t.setDaemon(true);
        return t;
    });

    GarbageCollector(KubernetesClient client) {
        this.client = client;
        loop.scheduleWithFixedDelay(this::sweepQuietly, 1, 1, TimeUnit.SECONDS);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (KubernetesClientException | IllegalStateException e) {
            LOG.log(Level.FINE, "garbage collection pass failed, next pass retries", e);
        }
    }

    /** One pass: deletes every owned object none of whose owners exists any more. */
    void sweep() {
        List<HasMetadata> owned = new ArrayList<>();
        owned.addAll(client.pods().inAnyNamespace().list().getItems());
        owned.addAll(client.services().inAnyNamespace().list().getItems());
        owned.addAll(client.configMaps().inAnyNamespace().list().getItems());
        owned.removeIf(o -> o.getMetadata().getOwnerReferences() == null || o.getMetadata().getOwnerReferences().isEmpty());
        if (owned.isEmpty()) {
            return;
        }
        Map<String, Set<String>> liveUidsByKind = new HashMap<>();
        for (HasMetadata object : owned) {
            boolean orphan = true;
            for (OwnerReference owner : object.getMetadata().getOwnerReferences()) {
                Set<String> live = liveUidsByKind.computeIfAbsent(owner.getApiVersion() + "/" + owner.getKind(),
                        k -> liveUids(owner.getApiVersion(), owner.getKind()));
                orphan &= !live.contains(owner.getUid());
            }
            if (orphan) {
                client.resource(object).delete();
            }
        }
    }

    private Set<String> liveUids(String apiVersion, String kind) {
        Set<String> uids = new HashSet<>();
        for (GenericKubernetesResource r : client.genericKubernetesResources(apiVersion, kind).inAnyNamespace().list().getItems()) {
            uids.add(r.getMetadata().getUid());
        }
        return uids;
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
