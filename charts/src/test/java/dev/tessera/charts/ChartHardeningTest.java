package dev.tessera.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every container the chart runs, under every value set, is hardened, bounded and probed. */
class ChartHardeningTest {

    private static final Map<String, String> HTTP_PORTS = Map.of(
            RenderedChart.component("operator"), "8080",
            RenderedChart.component("scheduler"), "8081",
            RenderedChart.component("inventory"), "8082");

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyContainerRunsAsNonRootWithoutPrivilegesOnAReadOnlyRoot(ValueSet values) {
        Map<String, PodTemplateSpec> pods = RenderedChart.of(values).podTemplates();
        assertThat(pods).containsKeys(HTTP_PORTS.keySet().toArray(String[]::new));
        pods.forEach((workload, pod) -> {
            PodSpec spec = pod.getSpec();
            assertThat(spec.getSecurityContext().getRunAsNonRoot()).as(workload).isTrue();
            assertThat(spec.getSecurityContext().getRunAsUser()).as(workload).isPositive();
            assertThat(spec.getHostNetwork()).as(workload).isNotEqualTo(Boolean.TRUE);
            assertThat(spec.getHostPID()).as(workload).isNotEqualTo(Boolean.TRUE);
            for (Container c : allContainers(spec)) {
                String who = workload + "/" + c.getName();
                var sc = c.getSecurityContext();
                assertThat(sc).as(who).isNotNull();
                assertThat(sc.getRunAsNonRoot()).as(who).isTrue();
                assertThat(sc.getReadOnlyRootFilesystem()).as(who).isTrue();
                assertThat(sc.getAllowPrivilegeEscalation()).as(who).isFalse();
                assertThat(sc.getPrivileged()).as(who).isNotEqualTo(Boolean.TRUE);
                assertThat(sc.getCapabilities().getDrop()).as(who).containsExactly("ALL");
                assertThat(sc.getCapabilities().getAdd()).as(who).isNullOrEmpty();
                assertThat(sc.getSeccompProfile().getType()).as(who).isEqualTo("RuntimeDefault");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyContainerHasRequestsAndLimits(ValueSet values) {
        RenderedChart.of(values).podTemplates().forEach((workload, pod) -> {
            for (Container c : allContainers(pod.getSpec())) {
                Map<String, Quantity> requests = c.getResources().getRequests();
                Map<String, Quantity> limits = c.getResources().getLimits();
                assertThat(requests).as(workload).containsKeys("cpu", "memory");
                assertThat(limits).as(workload).containsKey("memory");
                assertThat(Quantity.getAmountInBytes(limits.get("memory")))
                        .as(workload + " memory limit covers the request")
                        .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));
            }
        });
    }

    /** A read-only root only works when the JVM can still write its scratch files. */
    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void tesseraContainersGetAWritableTmp(ValueSet values) {
        RenderedChart chart = RenderedChart.of(values);
        HTTP_PORTS.keySet().forEach(name -> {
            List<VolumeMount> mounts = chart.container(name).getVolumeMounts();
            assertThat(mounts).as(name).anySatisfy(m -> {
                assertThat(m.getMountPath()).isEqualTo("/tmp");
                assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE);
            });
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void tesseraContainersAreProbedOnTheQuarkusHealthEndpoints(ValueSet values) {
        RenderedChart chart = RenderedChart.of(values);
        HTTP_PORTS.forEach((name, port) -> {
            Container c = chart.container(name);
            assertThat(c.getPorts()).extracting(ContainerPort::getName, p -> String.valueOf(p.getContainerPort()))
                    .as(name).contains(org.assertj.core.groups.Tuple.tuple("http", port));
            assertHttpProbe(name + " liveness", c.getLivenessProbe(), "/q/health/live");
            assertHttpProbe(name + " readiness", c.getReadinessProbe(), "/q/health/ready");
            assertHttpProbe(name + " startup", c.getStartupProbe(), "/q/health/started");
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyContainerHasLivenessAndReadinessProbes(ValueSet values) {
        RenderedChart.of(values).podTemplates().forEach((workload, pod) -> {
            for (Container c : pod.getSpec().getContainers()) {
                assertThat(c.getLivenessProbe()).as(workload + " liveness").isNotNull();
                assertThat(c.getReadinessProbe()).as(workload + " readiness").isNotNull();
            }
        });
    }

    private static void assertHttpProbe(String what, Probe probe, String path) {
        assertThat(probe).as(what).isNotNull();
        assertThat(probe.getHttpGet()).as(what).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(what).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(what).isEqualTo("http");
    }

    private static List<Container> allContainers(PodSpec spec) {
        var all = new java.util.ArrayList<>(spec.getContainers());
        if (spec.getInitContainers() != null) {
            all.addAll(spec.getInitContainers());
        }
        return all;
    }
}
