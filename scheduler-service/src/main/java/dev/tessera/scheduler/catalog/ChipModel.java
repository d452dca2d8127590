package dev.tessera.scheduler.catalog;

import java.util.List;

/**
 * One accelerator model with the figures the performance model uses.
 *
 * @param bf16Tflops dense BF16/FP16 TFLOPS
 * @param interconnectGBps intra-node chip-to-chip bandwidth
 * @param resourceName the Kubernetes extended resource that counts these chips
 * @param aliases node label values (e.g. NVIDIA's {@code nvidia.com/gpu.product}) that mean this model
 * @param chipsPerNode chips in a typical node, for chips still on order
 */
public record ChipModel(String id, String vendor, String name, double bf16Tflops, double memoryGiB,
        double memoryBandwidthGBps, double interconnectGBps, String resourceName, List<String> aliases, int chipsPerNode,
        Confidence confidence, String notes) {

    public ChipModel {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
