package dev.tessera.operator.pools;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.tessera.operator.scheduler.SchedulerClient;
import dev.tessera.operator.scheduler.SchedulerDtos.PoolDto;
import dev.tessera.operator.scheduler.SchedulerDtos.PoolsSnapshot;
import dev.tessera.operator.scheduler.SchedulerUnavailableException;
import dev.tessera.operator.util.DaemonThreads;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Watches Nodes and keeps the scheduler's pool snapshot current: every change is pushed (debounced)
 * as a full snapshot, and the snapshot is re-sent periodically in case the scheduler lost it.
 */
@ApplicationScoped
public class NodePoolWatcher {
    private static final Logger LOG = Logger.getLogger(NodePoolWatcher.class);

    @Inject
    KubernetesClient client;
    @Inject
    SchedulerClient scheduler;
    @ConfigProperty(name = "tessera.operator.pool-resync", defaultValue = "60s")
    java.time.Duration resync;
    @ConfigProperty(name = "tessera.operator.watch-nodes", defaultValue = "true")
    boolean enabled;

    private final ScheduledExecutorService executor = DaemonThreads.scheduler("tessera-pool-sync");
    private SharedIndexInformer<Node> informer;
    private ScheduledFuture<?> pending;
    private volatile List<PoolDto> lastSent;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        informer = client.nodes().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                schedulePush(300);
            }

            @Override
            public void onUpdate(Node oldNode, Node newNode) {
                schedulePush(300);
            }

            @Override
            public void onDelete(Node node, boolean deletedFinalStateUnknown) {
                schedulePush(300);
            }
        }, resync.toMillis());
        executor.scheduleWithFixedDelay(this::pushForced, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
        if (informer != null) {
            informer.close();
        }
    }

    private synchronized void schedulePush(long delayMillis) {
        if (pending != null && !pending.isDone()) {
            return;
        }
        pending = executor.schedule(() -> push(false), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void pushForced() {
        push(true);
    }

    /**
     * Whether a node is there and takes new Pods (not cordoned, Ready), as the pools the scheduler is told
     * count it. True when nodes are not watched: then nothing here knows better than the scheduler.
     */
    public boolean schedulable(String nodeName) {
        if (informer == null || nodeName == null) {
            return true;
        }
        Node node = informer.getStore().getByKey(nodeName);
        return node != null && PoolSnapshot.schedulable(node);
    }

    /** Tells the scheduler the current pools now, if they changed since they were last sent. */
    public void pushNow() {
        if (informer != null) {
            push(false);
        }
    }

    /** The current pools as the scheduler should see them. */
    public List<PoolDto> currentPools() {
        List<Node> nodes = informer != null ? informer.getStore().list() : client.nodes().list().getItems();
        return PoolSnapshot.of(nodes, scheduler.catalog());
    }

    private void push(boolean force) {
        try {
            List<PoolDto> pools = currentPools();
            if (!force && Objects.equals(pools, lastSent)) {
                return;
            }
            scheduler.putPools(new PoolsSnapshot(pools));
            lastSent = pools;
            LOG.debugf("sent %d pools to the scheduler", pools.size());
        } catch (SchedulerUnavailableException e) {
            LOG.warnf("pool snapshot not sent, retrying: %s", e.getMessage());
            lastSent = null;
            executor.schedule(() -> push(true), 5, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.errorf(e, "pool snapshot failed, retrying");
            lastSent = null;
            executor.schedule(() -> push(true), 5, TimeUnit.SECONDS);
        }
    }
}
