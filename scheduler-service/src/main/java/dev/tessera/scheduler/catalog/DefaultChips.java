package dev.tessera.scheduler.catalog;

import static dev.tessera.scheduler.catalog.Confidence.HIGH;
import static dev.tessera.scheduler.catalog.Confidence.LOW;
import static dev.tessera.scheduler.catalog.Confidence.MEDIUM;
import static dev.tessera.scheduler.catalog.Confidence.UNCONFIRMED;

import java.util.List;

/** Public figures to start from; a catalog file overrides them by id. */
public final class DefaultChips {

    private static final String NVIDIA = "nvidia.com/gpu";

    private DefaultChips() {
    }

    public static List<ChipModel> all() {
        return List.of(
                new ChipModel("h100", "NVIDIA", "H100 SXM", 989, 80, 3350, 900, NVIDIA,
                        List.of("NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-SXM5-80GB", "NVIDIA-H100"), 8, HIGH,
                        "Datasheet dense BF16; NVLink 4 at 900 GB/s."),
                new ChipModel("h800", "NVIDIA", "H800 SXM", 989, 80, 3350, 400, NVIDIA,
                        List.of("NVIDIA-H800", "NVIDIA-H800-80GB-HBM3"), 8, HIGH,
                        "Export variant of the H100: same compute, NVLink cut to 400 GB/s."),
                new ChipModel("h20", "NVIDIA", "H20", 148, 96, 4000, 900, NVIDIA,
                        List.of("NVIDIA-H20", "NVIDIA-H20-96GB-HBM3"), 8, HIGH,
                        "Export variant with much reduced compute, large fast memory."),
                new ChipModel("a100", "NVIDIA", "A100 SXM4 80GB", 312, 80, 2039, 600, NVIDIA,
                        List.of("NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-80GB-PCIe"), 8, HIGH,
                        "Datasheet dense BF16; NVLink 3 at 600 GB/s."),
                new ChipModel("a800", "NVIDIA", "A800 SXM4 80GB", 312, 80, 2039, 400, NVIDIA,
                        List.of("NVIDIA-A800-SXM4-80GB", "NVIDIA-A800-80GB-PCIe"), 8, HIGH,
                        "Export variant of the A100: NVLink cut to 400 GB/s."),
                new ChipModel("v100", "NVIDIA", "V100 (memory size unknown)", 125, 16, 900, 300, NVIDIA,
                        List.of("Tesla-V100", "Tesla-V100-SXM2"), 8, MEDIUM,
                        "Assumes the 16 GB part; use v100m16 or v100m32 when the memory size is known."),
                new ChipModel("v100m16", "NVIDIA", "V100 16GB", 125, 16, 900, 300, NVIDIA,
                        List.of("Tesla-V100-SXM2-16GB", "Tesla-V100-PCIE-16GB", "V100M16"), 8, HIGH,
                        "Datasheet tensor-core FP16."),
                new ChipModel("v100m32", "NVIDIA", "V100 32GB", 125, 32, 900, 300, NVIDIA,
                        List.of("Tesla-V100-SXM2-32GB", "Tesla-V100-PCIE-32GB", "Tesla-V100S-PCIE-32GB", "V100M32"), 8, HIGH,
                        "Datasheet tensor-core FP16."),
                new ChipModel("p100", "NVIDIA", "P100 16GB", 21.2, 16, 732, 160, NVIDIA,
                        List.of("Tesla-P100-SXM2-16GB", "Tesla-P100-PCIE-16GB", "P100"), 8, HIGH,
                        "FP16 without tensor cores; NVLink 1 at 160 GB/s."),
                new ChipModel("t4", "NVIDIA", "T4", 65, 16, 320, 32, NVIDIA,
                        List.of("Tesla-T4", "T4"), 8, HIGH,
                        "Inference card; PCIe only, no NVLink."),
                new ChipModel("a10", "NVIDIA", "A10", 125, 24, 600, 64, NVIDIA,
                        List.of("NVIDIA-A10", "A10"), 8, HIGH,
                        "PCIe card, no NVLink."),
                new ChipModel("k80", "NVIDIA", "K80 (one GPU of the board)", 4.4, 12, 240, 16, NVIDIA,
                        List.of("Tesla-K80", "K80"), 8, MEDIUM,
                        "No FP16 units: the FP32 figure of one of the board's two GPUs."),
                new ChipModel("ascend-910b", "Huawei", "Ascend 910B", 320, 64, 1600, 392, "huawei.com/Ascend910",
                        List.of("Ascend910B", "Ascend-910B", "ascend910b"), 8, LOW,
                        "Public estimates only; HCCS bandwidth assumed 392 GB/s."),
                new ChipModel("kunlun-p800", "Kunlunxin", "Kunlun P800", 300, 96, 2000, 200, "kunlunxin.com/xpu",
                        List.of("P800", "Kunlun-P800"), 8, UNCONFIRMED,
                        "Placeholder figures with no reliable public source: override in the catalog file."),
                new ChipModel("dcu-z100", "Hygon", "DCU Z100", 45, 32, 1024, 100, "hygon.com/dcu",
                        List.of("Z100", "DCU-Z100"), 8, UNCONFIRMED,
                        "Placeholder figures with no reliable public source: override in the catalog file."));
    }
}
