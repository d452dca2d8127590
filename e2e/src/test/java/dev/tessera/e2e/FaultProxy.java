package dev.tessera.e2e;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of a service that passes HTTP/1.1 traffic through untouched, until it is armed for
 * one request: when the service's answer to a request carrying the marker arrives, the proxy runs the fault
 * (say, kills the service) and drops the client's connection without passing the answer on. The request
 * reached the service and was acted on; the client never hears the outcome.
 */
final class FaultProxy implements Closeable {

    /** The request to intercept: its request line starts with {@code requestLine} and it contains {@code marker}. */
    record Trigger(String requestLine, String marker, String answerPrefix, Runnable fault, CompletableFuture<String> fired) {
    }

    private final ServerSocket server;
    private final int backendPort;
    private final AtomicReference<Trigger> armed = new AtomicReference<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    FaultProxy(int port, int backendPort) throws IOException {
        this.backendPort = backendPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread accept = new Thread(this::acceptLoop, "fault-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** Arms the proxy for one request; the future completes with the answer's first line once the fault ran. */
    CompletableFuture<String> arm(String requestLine, String marker, String answerPrefix, Runnable fault) {
        CompletableFuture<String> fired = new CompletableFuture<>();
        armed.set(new Trigger(requestLine, marker, answerPrefix, fault, fired));
        return fired;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket backend = new Socket();
                try {
                    backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), backendPort), 3000);
                } catch (IOException e) {
                    // the service is down: the client sees its connection refused, as without the proxy
                    resetAndClose(client);
                    continue;
                }
                open.add(client);
                open.add(backend);
                Connection c = new Connection(client, backend);
                start(() -> c.requests(), "fault-proxy-up");
                start(() -> c.answers(), "fault-proxy-down");
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("fault proxy: " + e);
                }
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** One client connection and its own connection to the service. */
    private final class Connection {
        private final Socket client;
        private final Socket backend;
        /** Bytes of the request now in flight (HTTP/1.1: the next answer on this connection is its answer). */
        private final StringBuilder request = new StringBuilder();

        Connection(Socket client, Socket backend) {
            this.client = client;
            this.backend = backend;
        }

        void requests() {
            byte[] buf = new byte[16384];
            try (InputStream in = client.getInputStream(); OutputStream out = backend.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (this) {
                        if (request.length() < 1 << 20) {
                            request.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                closeBoth();
            }
        }

        void answers() {
            byte[] buf = new byte[16384];
            try (InputStream in = backend.getInputStream(); OutputStream out = client.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    String asked;
                    synchronized (this) {
                        asked = request.toString();
                        request.setLength(0);
                    }
                    Trigger t = armed.get();
                    String answer = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    if (t != null && !asked.isEmpty() && asked.startsWith(t.requestLine()) && asked.contains(t.marker())
                            && answer.startsWith(t.answerPrefix()) && armed.compareAndSet(t, null)) {
                        try {
                            t.fault().run();
                            t.fired().complete(answer.lines().findFirst().orElse(""));
                        } catch (RuntimeException e) {
                            t.fired().completeExceptionally(e);
                        }
                        resetAndClose(client);
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                closeBoth();
            }
        }

        private void closeBoth() {
            quietly(client);
            quietly(backend);
            open.remove(client);
            open.remove(backend);
        }
    }

    /** Closes with a TCP reset, as a connection to a process that died would end. */
    private static void resetAndClose(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // closing anyway
        }
        quietly(s);
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        open.forEach(FaultProxy::quietly);
    }
}
