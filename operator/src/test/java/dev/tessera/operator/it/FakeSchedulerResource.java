package dev.tessera.operator.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts the fake scheduler on a free port and points the operator's REST client at it. */
public class FakeSchedulerResource implements QuarkusTestResourceLifecycleManager {
    static FakeScheduler scheduler;

    @Override
    public Map<String, String> start() {
        try (ServerSocket s = new ServerSocket(0)) {
            scheduler = new FakeScheduler(s.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            scheduler.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.rest-client.scheduler.url", "http://127.0.0.1:" + scheduler.port(),
                "tessera.operator.pending-retry", "1s",
                "tessera.operator.pool-resync", "5s",
                "tessera.scheduler.catalog-ttl", "1s");
    }

    @Override
    public void stop() {
        scheduler.stop();
    }
}
