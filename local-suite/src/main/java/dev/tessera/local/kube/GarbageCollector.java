package dev.tessera.local.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What kube-controller-manager's garbage collector does and the mock does not: deletes Pods,
 * Services and ConfigMaps whose owners (by uid) are gone, so deleting a TrainingJob removes its workers.
 * Like the real one it watches instead of listing: the owned kinds and every owner kind it meets are
 * held in informer caches, and an object is deleted only after a direct read confirms its owner is gone
 * (a cache may lag behind a just-created owner).
 */
final class GarbageCollector implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());

    private final KubernetesClient client;
    private final List<SharedIndexInformer<? extends HasMetadata>> owned = new ArrayList<>();
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> owners = new ConcurrentHashMap<>();
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

    private synchronized List<SharedIndexInformer<? extends HasMetadata>> ownedInformers() {
        if (owned.isEmpty()) {
            owned.add(client.pods().inAnyNamespace().inform());
            owned.add(client.services().inAnyNamespace().inform());
            owned.add(client.configMaps().inAnyNamespace().inform());
        }
        return owned;
    }

    /** One pass: deletes every owned object none of whose owners exists any more. */
    synchronized void sweep() {
        List<HasMetadata> candidates = new ArrayList<>();
        for (SharedIndexInformer<? extends HasMetadata> informer : ownedInformers()) {
            candidates.addAll(informer.getStore().list());
        }
        candidates.removeIf(o -> o.getMetadata().getOwnerReferences() == null || o.getMetadata().getOwnerReferences().isEmpty()
                || o.getMetadata().getDeletionTimestamp() != null);
        for (HasMetadata object : candidates) {
            List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
            if (refs.stream().anyMatch(owner -> cachedOwnerLives(object, owner))) {
                continue;
            }
            if (refs.stream().noneMatch(owner -> ownerLives(object, owner))) {
                client.resource(object).delete();
            }
        }
    }

    private boolean cachedOwnerLives(HasMetadata object, OwnerReference owner) {
        SharedIndexInformer<GenericKubernetesResource> informer = owners.computeIfAbsent(
                owner.getApiVersion() + "/" + owner.getKind(),
                k -> client.genericKubernetesResources(owner.getApiVersion(), owner.getKind()).inAnyNamespace().inform());
        String key = object.getMetadata().getNamespace() == null ? owner.getName()
                : object.getMetadata().getNamespace() + "/" + owner.getName();
        GenericKubernetesResource cached = informer.getStore().getByKey(key);
        return cached != null && owner.getUid().equals(cached.getMetadata().getUid());
    }

    /** The owner read from the API itself, not a cache. */
    private boolean ownerLives(HasMetadata object, OwnerReference owner) {
        var kind = client.genericKubernetesResources(owner.getApiVersion(), owner.getKind());
        GenericKubernetesResource live = object.getMetadata().getNamespace() == null
                ? kind.withName(owner.getName()).get()
                : kind.inNamespace(object.getMetadata().getNamespace()).withName(owner.getName()).get();
        return live != null && owner.getUid().equals(live.getMetadata().getUid());
    }

    @Override
    public void close() {
        loop.shutdownNow();
        synchronized (this) {
            owned.forEach(SharedIndexInformer::close);
            owned.clear();
        }
        owners.values().forEach(SharedIndexInformer::close);
        owners.clear();
    }
}
