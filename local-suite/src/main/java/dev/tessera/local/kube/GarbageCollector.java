package dev.tessera.local.kube;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
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
 * Like the real one it watches the owned kinds instead of listing them. Owners are looked up in the
 * embedded API's own store, in the same process ({@link Owners}): no watch of every owner kind, whose
 * events (every TrainingJob change) would each be sent to it and read into objects, and no cache that
 * lags behind a just-created owner.
 */
final class GarbageCollector implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());

    /** The uid of the object stored at an API path, or {@code null} when none is. */
    interface Owners {
        String uid(String path);
    }

    private final KubernetesClient client;
    private final Owners owners;
    private final List<SharedIndexInformer<? extends HasMetadata>> owned = new ArrayList<>();
    /** The plural of each owner kind, by apiVersion and kind, from the API's discovery. */
    private final Map<String, String> plurals = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "garbage-collector");
        t.setDaemon(true);
        return t;
    });

    GarbageCollector(KubernetesClient client, Owners owners) {
        this.client = client;
        this.owners = owners;
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
            if (object.getMetadata().getOwnerReferences().stream().noneMatch(owner -> ownerLives(object, owner))) {
                client.resource(object).delete();
            }
        }
    }

    private boolean ownerLives(HasMetadata object, OwnerReference owner) {
        String plural = plurals.computeIfAbsent(owner.getApiVersion() + "/" + owner.getKind(), k -> plural(owner));
        if (plural == null) {
            return true; // a kind the API does not serve (yet): keep the object
        }
        String base = (owner.getApiVersion().contains("/") ? "/apis/" : "/api/") + owner.getApiVersion();
        String namespace = object.getMetadata().getNamespace();
        String path = base + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural + "/" + owner.getName();
        return owner.getUid().equals(owners.uid(path));
    }

    private String plural(OwnerReference owner) {
        APIResourceList resources;
        try {
            resources = client.getApiResources(owner.getApiVersion());
        } catch (KubernetesClientException e) {
            return null;
        }
        if (resources == null) {
            return null;
        }
        return resources.getResources().stream().filter(r -> owner.getKind().equals(r.getKind()) && !r.getName().contains("/"))
                .map(APIResource::getName).findFirst().orElse(null);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        synchronized (this) {
            owned.forEach(SharedIndexInformer::close);
            owned.clear();
        }
    }
}
