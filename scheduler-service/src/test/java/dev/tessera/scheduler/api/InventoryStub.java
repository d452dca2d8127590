package dev.tessera.scheduler.api;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real HTTP server standing in for inventory's {@code GET /api/v1/availability}; tests set its answer or stop it. */
public class InventoryStub implements QuarkusTestResourceLifecycleManager {

    static volatile String body = "{\"quotas\":[],\"deliveries\":[]}";
    static volatile boolean down;
    /** The Authorization header of the last availability call, to see the scheduler's own token go out. */
    static volatile String authorization;
    /** The scheduler's own token file ({@code tessera.auth.token-file}); tests write and rotate it. */
    static volatile Path tokenFile;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/availability", exchange -> {
            authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (down) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            tokenFile = Files.createTempFile("scheduler-token", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.rest-client.inventory.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "tessera.auth.token-file", tokenFile.toString());
    }

    @Override
    public void stop() {
        server.stop(0);
        try {
            Files.deleteIfExists(tokenFile);
        } catch (IOException e) {
            // a temp file left behind is harmless
        }
    }
}
