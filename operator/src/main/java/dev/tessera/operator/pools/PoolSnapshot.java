package dev.tessera.operator.pools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.tessera.operator.scheduler.Catalog;
import dev.tessera.operator.scheduler.SchedulerDtos.NodeChips;
import dev.tessera.operator.scheduler.SchedulerDtos.PoolDto;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Groups Nodes into pools: the {@code tessera.dev/pool} label names the pool, {@code tessera.dev/chip}
 * the chip model; a node with only NVIDIA's product label is matched through the catalog's aliases
 * and pooled under its chip id. Cordoned and not-ready nodes take no new work.
 */
public final class PoolSnapshot {
    public static final String LABEL_POOL = "tessera.dev/pool";
    public static final String LABEL_CHIP = "tessera.dev/chip";
    public static final String LABEL_NVIDIA_PRODUCT = "nvidia.com/gpu.product";

    private PoolSnapshot() {
    }

    public static List<PoolDto> of(List<Node> nodes, Catalog catalog) {
        Map<String, String> chipOfPool = new TreeMap<>();
        Map<String, List<NodeChips>> nodesOfPool = new TreeMap<>();
        for (Node node : nodes) {
            if (!schedulable(node)) {
                continue;
            }
            Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
            Optional<String> chip = Optional.ofNullable(labels.get(LABEL_CHIP))
                    .or(() -> catalog.chipForProduct(labels.get(LABEL_NVIDIA_PRODUCT)));
            if (chip.isEmpty()) {
                continue;
            }
            String pool = labels.getOrDefault(LABEL_POOL, chip.get());
            String resource = catalog.resourceName(chip.get()).orElse("nvidia.com/gpu");
            int chips = allocatable(node, resource);
            if (chips <= 0) {
                continue;
            }
            // One chip model per pool: a node that disagrees with its pool is left out rather than mixed in.
            String existing = chipOfPool.putIfAbsent(pool, chip.get());
            if (existing != null && !existing.equals(chip.get())) {
                continue;
            }
            nodesOfPool.computeIfAbsent(pool, p -> new ArrayList<>()).add(new NodeChips(node.getMetadata().getName(), chips));
        }
        List<PoolDto> pools = new ArrayList<>();
        nodesOfPool.forEach((pool, list) -> {
            list.sort(Comparator.comparing(NodeChips::name));
            pools.add(new PoolDto(pool, chipOfPool.get(pool), List.copyOf(list)));
        });
        return pools;
    }

    static boolean schedulable(Node node) {
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return true;
        }
        return node.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .allMatch(c -> "True".equals(c.getStatus()));
    }

    static int allocatable(Node node, String resource) {
        if (node.getStatus() == null || node.getStatus().getAllocatable() == null) {
            return 0;
        }
        Quantity q = node.getStatus().getAllocatable().get(resource);
        if (q == null) {
            return 0;
        }
        try {
            return Quantity.getAmountInBytes(q).intValue();
        } catch (ArithmeticException | IllegalArgumentException e) {
            return 0;
        }
    }
}
