package dev.tessera.local.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What kube-controller-manager's namespace controller does and the mock does not: when a Namespace is
 * deleted, everything in it is deleted too, kind by kind, through the API itself, so finalizers hold
 * what they hold (a TrainingJob stays until its operator has given its chips back) and watchers see each
 * object go. Unlike a real API server the Namespace itself is gone at once rather than Terminating
 * until it is empty.
 */
final class NamespaceCleaner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NamespaceCleaner.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the API serves and what it stores. */
    interface Catalog {
        /** Every resource the API serves now, custom resources included. */
        List<ApiDiscovery.Resource> resources();

        /** The stored objects of a collection path, as JSON. */
        List<String> objects(String collectionPath);
    }

    private final KubernetesClient client;
    private final Catalog catalog;
    private final ExecutorService work = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "namespace-cleaner");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Namespace> namespaces;

    NamespaceCleaner(KubernetesClient client, Catalog catalog) {
        this.client = client;
        this.catalog = catalog;
    }

    synchronized NamespaceCleaner start() {
        namespaces = client.namespaces().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace namespace) {
            }

            @Override
            public void onUpdate(Namespace before, Namespace after) {
            }

            @Override
            public void onDelete(Namespace namespace, boolean finalStateUnknown) {
                String name = namespace.getMetadata().getName();
                work.submit(() -> clean(name));
            }
        });
        return this;
    }

    /** Deletes every object stored in {@code namespace}; answers how many deletes it sent. */
    int clean(String namespace) {
        int deleted = 0;
        for (ApiDiscovery.Resource r : catalog.resources()) {
            if (!r.namespaced()) {
                continue;
            }
            String base = r.group().isEmpty() ? "/api/" + r.version() : "/apis/" + r.group() + "/" + r.version();
            for (String json : catalog.objects(base + "/namespaces/" + namespace + "/" + r.plural())) {
                try {
                    JsonNode metadata = JSON.readTree(json).path("metadata");
                    if (!metadata.path("deletionTimestamp").isMissingNode() && !metadata.path("deletionTimestamp").isNull()) {
                        continue; // on its way out already, held by a finalizer
                    }
                    client.genericKubernetesResources(r.groupVersion(), r.kind()).inNamespace(namespace)
                            .withName(metadata.path("name").asText()).delete();
                    deleted++;
                } catch (IOException | KubernetesClientException e) {
                    LOG.log(Level.FINE, "could not delete a " + r.kind() + " of deleted namespace " + namespace, e);
                }
            }
        }
        LOG.fine(() -> "namespace " + namespace + " deleted: its objects are deleted");
        return deleted;
    }

    @Override
    public synchronized void close() {
        if (namespaces != null) {
            namespaces.close();
        }
        work.shutdownNow();
    }
}
