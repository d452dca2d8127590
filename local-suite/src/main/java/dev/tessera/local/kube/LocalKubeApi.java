package dev.tessera.local.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

/**
 * An in-process Kubernetes API on 127.0.0.1 that the real {@code kubectl} and the fabric8 client
 * both work against: fabric8's CRUD mock behind {@link KubeApiFront}, plus a garbage collector for
 * owned objects and the deletion of a deleted namespace's objects. No TLS and no authentication: it only listens on the loopback interface.
 */
public final class LocalKubeApi implements AutoCloseable {

    // held so the setting is not garbage-collected with the logger: the mock logs every request at INFO
    private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final GarbageCollector garbageCollector;
    private final EventExpiry eventExpiry;
    private final NamespaceCleaner namespaceCleaner;
    private final KubeApiFront front;
    private KubernetesClient client;

    /** kube-apiserver's default {@code --event-ttl}. */
    public static final Duration DEFAULT_EVENT_TTL = Duration.ofHours(1);

    private LocalKubeApi(int port, Duration eventTtl) {
        Clock clock = Clock.systemUTC();
        this.front = new KubeApiFront(clock);
        this.server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), front, false);
        try {
            server.start(InetAddress.getLoopbackAddress(), port);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        this.garbageCollector = new GarbageCollector(client(), front::storedUid);
        this.eventExpiry = new EventExpiry(client(), front::storedObjects, clock, eventTtl).start();
        this.namespaceCleaner = new NamespaceCleaner(client(), new NamespaceCleaner.Catalog() {
            @Override
            public List<ApiDiscovery.Resource> resources() {
                return front.servedResources();
            }

            @Override
            public List<String> objects(String collectionPath) {
                return front.storedObjects(collectionPath);
            }
        }).start();
    }

    /** An expiry of this API's Events on another clock or TTL, swept only when asked: for tests. */
    EventExpiry eventExpiry(Clock clock, Duration ttl) {
        return new EventExpiry(client(), front::storedObjects, clock, ttl);
    }

    /** The uid of the object stored at this API path, from the store itself; {@code null} when none is. */
    String storedUid(String path) {
        return front.storedUid(path);
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        // -Dtessera.kube.log-requests=true keeps the mock's log of every request, for debugging clients
        if (!Boolean.getBoolean("tessera.kube.log-requests")) {
            logger.setLevel(java.util.logging.Level.WARNING);
        }
        return logger;
    }

    /** Starts the API on the given port of 127.0.0.1 (0 picks a free port), Events kept for an hour. */
    public static LocalKubeApi start(int port) {
        return start(port, DEFAULT_EVENT_TTL);
    }

    /** Starts the API on the given port of 127.0.0.1 (0 picks a free port), Events kept for {@code eventTtl} after their last write. */
    public static LocalKubeApi start(int port, Duration eventTtl) {
        return new LocalKubeApi(port, eventTtl);
    }

    public int port() {
        return server.getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** A client of this API (one, shared; closed with the API). */
    public synchronized KubernetesClient client() {
        if (client == null) {
            Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace("default")
                    .withTrustCerts(true).withRequestRetryBackoffLimit(3).build();
            client = new KubernetesClientBuilder().withConfig(config).build();
        }
        return client;
    }

    /** Installs a CRD from YAML (the operator's generated {@code crds/trainingjobs.tessera.dev-v1.yml}). */
    public CustomResourceDefinition installCrd(Path crdFile) {
        try (InputStream in = Files.newInputStream(crdFile)) {
            return installCrd(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + crdFile, e);
        }
    }

    public CustomResourceDefinition installCrd(InputStream crdYaml) {
        CustomResourceDefinition crd = client().apiextensions().v1().customResourceDefinitions().load(crdYaml).item();
        return client().resource(crd).serverSideApply();
    }

    /** Creates or replaces objects (namespaces, nodes, ...). */
    public void apply(HasMetadata... objects) {
        for (HasMetadata object : objects) {
            client().resource(object).serverSideApply();
        }
    }

    /** Writes a kubeconfig that points kubectl at this API, context {@code tessera-local}, namespace {@code default}. */
    public Path writeKubeconfig(Path file) {
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: tessera-local
                  cluster:
                    server: %s
                contexts:
                - name: tessera-local
                  context:
                    cluster: tessera-local
                    user: tessera-local
                    namespace: default
                current-context: tessera-local
                users:
                - name: tessera-local
                  user:
                    token: local
                """.formatted(url());
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, kubeconfig);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Runs only the API, as a process: {@code --port 6443 --kubeconfig path --crd path}. The whole
     * Kubernetes side of the local suite (fleet, kubelet) is {@code dev.tessera.local.LocalCluster}.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 6443;
        Path kubeconfig = null;
        java.util.List<Path> crds = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--kubeconfig" -> kubeconfig = Path.of(args[i + 1]);
                case "--crd" -> crds.add(Path.of(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        LocalKubeApi api = start(port);
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            stopped.countDown();
        }, "shutdown"));
        crds.forEach(api::installCrd);
        if (kubeconfig != null) {
            api.writeKubeconfig(kubeconfig);
        }
        System.out.println("Kubernetes API ready at " + api.url());
        stopped.await();
    }

    @Override
    public synchronized void close() {
        eventExpiry.close();
        namespaceCleaner.close();
        garbageCollector.close();
        if (client != null) {
            client.close();
        }
        server.shutdown();
    }
}
