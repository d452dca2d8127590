package dev.tessera.local;

import dev.tessera.local.fleet.SampleFleet;
import dev.tessera.local.kube.LocalKubeApi;
import dev.tessera.local.kubelet.KubeletSettings;
import dev.tessera.local.kubelet.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The Kubernetes side of the local suite as one process: the embedded API, the sample fleet, the
 * TrainingJob CRD and the simulated kubelet. Runs until terminated.
 *
 * <pre>
 * --port 6443  --kubeconfig .tessera-local/kubeconfig  --crd crds/trainingjobs.tessera.dev-v1.yml
 * --fleet sample|none  --time-scale 10000  --crash-rates ascend-910b=0.05,default=0.005|off  --seed 42
 * --event-ttl 1h   (how long Events are kept after their last write, as kube-apiserver's --event-ttl: 90s, 30m, 2h)
 * </pre>
 */
public final class LocalCluster {

    private LocalCluster() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        Duration eventTtl;
        try {
            options = Options.parse(args);
            eventTtl = options.durationOption("event-ttl", LocalKubeApi.DEFAULT_EVENT_TTL);
        } catch (IllegalArgumentException e) {
            System.err.println("local cluster: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalKubeApi api = LocalKubeApi.start(options.intOption("port", 6443), eventTtl);
        CountDownLatch stopped = new CountDownLatch(1);
        SimulatedKubelet[] kubelet = new SimulatedKubelet[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (kubelet[0] != null) {
                kubelet[0].close();
            }
            api.close();
            stopped.countDown();
        }, "shutdown"));

        api.apply(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build());
        String crd = options.option("crd", "crds/trainingjobs.tessera.dev-v1.yml");
        if (!crd.isEmpty() && Files.isRegularFile(Path.of(crd))) {
            api.installCrd(Path.of(crd));
            System.out.println("installed CRD " + crd);
        } else {
            System.out.println("no CRD at '" + crd + "': the operator installs it when it starts");
        }
        if (options.option("fleet", "sample").equals("sample")) {
            SampleFleet.nodes().forEach(api::apply);
            System.out.println("sample fleet: " + SampleFleet.nodes().size() + " nodes in " + SampleFleet.POOLS.size() + " pools");
        }
        KubeletSettings settings = new KubeletSettings(
                Double.parseDouble(options.option("time-scale", String.valueOf(KubeletSettings.DEFAULT_TIME_SCALE))),
                KubeletSettings.parseCrashRates(options.option("crash-rates", KubeletSettings.DEFAULT_CRASH_RATES)),
                Long.parseLong(options.option("seed", "42")));
        kubelet[0] = new SimulatedKubelet(api.client(), settings).start(Duration.ofMillis(500));
        String kubeconfig = options.option("kubeconfig", "");
        if (!kubeconfig.isEmpty()) {
            api.writeKubeconfig(Path.of(kubeconfig));
        }
        System.out.println("Kubernetes API ready at " + api.url() + " (time scale " + settings.timeScale()
                + ", crash rates " + settings.crashRates() + ")");
        System.out.flush();
        stopped.await();
    }
}
