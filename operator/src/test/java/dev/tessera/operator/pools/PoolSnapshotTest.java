package dev.tessera.operator.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tessera.operator.scheduler.Catalog;
import dev.tessera.operator.scheduler.SchedulerDtos.ChipModel;
import dev.tessera.operator.scheduler.SchedulerDtos.NodeChips;
import dev.tessera.operator.scheduler.SchedulerDtos.PoolDto;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

public class PoolSnapshotTest {
    public static final Catalog CATALOG = new Catalog(List.of(
            new ChipModel("a100", "NVIDIA", "A100", "nvidia.com/gpu", List.of("NVIDIA-A100-SXM4-80GB"), "HIGH"),
            new ChipModel("ascend-910b", "Huawei", "Ascend 910B", "huawei.com/Ascend910", List.of(), "LOW")));

    static Node node(String name, Map<String, String> labels, String resource, String count, boolean ready, boolean cordoned) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withUnschedulable(cordoned).endSpec()
                .withNewStatus().addToAllocatable(resource, new Quantity(count))
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build();
    }

    @Test
    void nodesGroupIntoPoolsByLabelWithTheirChipResource() {
        List<PoolDto> pools = PoolSnapshot.of(List.of(
                node("b", Map.of("tessera.dev/pool", "hoard", "tessera.dev/chip", "a100"), "nvidia.com/gpu", "8", true, false),
                node("a", Map.of("tessera.dev/pool", "hoard", "tessera.dev/chip", "a100"), "nvidia.com/gpu", "4", true, false),
                node("x", Map.of("tessera.dev/pool", "asc", "tessera.dev/chip", "ascend-910b"), "huawei.com/Ascend910", "8", true, false)),
                CATALOG);
        assertThat(pools).containsExactly(
                new PoolDto("asc", "ascend-910b", List.of(new NodeChips("x", 8))),
                new PoolDto("hoard", "a100", List.of(new NodeChips("a", 4), new NodeChips("b", 8))));
    }

    @Test
    void aNodeWithOnlyNvidiasProductLabelIsMatchedThroughTheCatalogAliases() {
        List<PoolDto> pools = PoolSnapshot.of(List.of(
                node("gpu-1", Map.of("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB"), "nvidia.com/gpu", "8", true, false),
                node("gpu-2", Map.of("nvidia.com/gpu.product", "Unknown-GPU"), "nvidia.com/gpu", "8", true, false)),
                CATALOG);
        assertThat(pools).containsExactly(new PoolDto("a100", "a100", List.of(new NodeChips("gpu-1", 8))));
    }

    @Test
    void cordonedNotReadyEmptyAndMismatchedNodesTakeNoWork() {
        Map<String, String> a100 = Map.of("tessera.dev/pool", "hoard", "tessera.dev/chip", "a100");
        List<PoolDto> pools = PoolSnapshot.of(List.of(
                node("ok", a100, "nvidia.com/gpu", "8", true, false),
                node("cordoned", a100, "nvidia.com/gpu", "8", true, true),
                node("sick", a100, "nvidia.com/gpu", "8", false, false),
                node("empty", a100, "nvidia.com/gpu", "0", true, false),
                node("wrong-chip", Map.of("tessera.dev/pool", "hoard", "tessera.dev/chip", "ascend-910b"),
                        "huawei.com/Ascend910", "8", true, false)),
                CATALOG);
        assertThat(pools).containsExactly(new PoolDto("hoard", "a100", List.of(new NodeChips("ok", 8))));
    }
}
