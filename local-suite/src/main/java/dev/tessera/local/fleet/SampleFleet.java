package dev.tessera.local.fleet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet of a team that trains on whatever it could get: a small hoard of A100s, a large H800
 * pool bought after the export rules, A800s (two of them only labelled by NVIDIA's GPU feature
 * discovery, so the scheduler must match them through the catalog's aliases), an Ascend 910B pool
 * and old V100s.
 */
public final class SampleFleet {

    public static final String POOL_LABEL = "tessera.dev/pool";
    public static final String CHIP_LABEL = "tessera.dev/chip";
    public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
    public static final String NVIDIA_GPU = "nvidia.com/gpu";
    public static final String ASCEND = "huawei.com/Ascend910";

    /**
     * One pool of identical nodes.
     *
     * @param chip       chip model id for {@code tessera.dev/chip}, or null when the nodes carry only {@code gpuProduct}
     * @param gpuProduct NVIDIA's product label, or null
     */
    public record PoolSpec(String name, String chip, String gpuProduct, String resource, int nodes, int chipsPerNode,
                           String nodePrefix) {

        public int chips() {
            return nodes * chipsPerNode;
        }
    }

    public static final List<PoolSpec> POOLS = List.of(
            new PoolSpec("a100-hoard", "a100", "NVIDIA-A100-SXM4-80GB", NVIDIA_GPU, 4, 8, "a100-hoard"),
            new PoolSpec("h800-a", "h800", "NVIDIA-H800", NVIDIA_GPU, 16, 8, "h800-a"),
            new PoolSpec("a800-a", "a800", "NVIDIA-A800-SXM4-80GB", NVIDIA_GPU, 6, 8, "a800-a"),
            new PoolSpec("a800-b", null, "NVIDIA-A800-SXM4-80GB", NVIDIA_GPU, 2, 8, "a800-b"),
            new PoolSpec("ascend-a", "ascend-910b", null, ASCEND, 12, 8, "ascend-a"),
            new PoolSpec("v100-old", "v100", "Tesla-V100-SXM2-32GB", NVIDIA_GPU, 8, 8, "v100-old"));

    private SampleFleet() {
    }

    public static List<Node> nodes() {
        return nodes(POOLS);
    }

    public static List<Node> nodes(List<PoolSpec> pools) {
        List<Node> nodes = new ArrayList<>();
        for (PoolSpec pool : pools) {
            for (int i = 1; i <= pool.nodes(); i++) {
                nodes.add(node(pool, String.format("%s-%03d", pool.nodePrefix(), i)));
            }
        }
        return nodes;
    }

    private static Node node(PoolSpec pool, String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", pool.resource().equals(ASCEND) ? "arm64" : "amd64");
        labels.put(POOL_LABEL, pool.name());
        if (pool.chip() != null) {
            labels.put(CHIP_LABEL, pool.chip());
        }
        if (pool.gpuProduct() != null) {
            labels.put(GPU_PRODUCT_LABEL, pool.gpuProduct());
            labels.put("nvidia.com/gpu.count", String.valueOf(pool.chipsPerNode()));
        }
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", new Quantity("192"));
        resources.put("memory", new Quantity("2Ti"));
        resources.put("pods", new Quantity("110"));
        resources.put(pool.resource(), new Quantity(String.valueOf(pool.chipsPerNode())));
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus()
                .withCapacity(resources).withAllocatable(resources)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("simulated kubelet is posting ready status").endCondition()
                .withNewNodeInfo().withKubeletVersion("v1.32.0-tessera-local").withArchitecture(labels.get("kubernetes.io/arch"))
                .withOperatingSystem("linux").withContainerRuntimeVersion("simulated://1.0").endNodeInfo()
                .endStatus()
                .build();
    }
}
