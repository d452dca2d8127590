package dev.tessera.scheduler.perf;


import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.catalog.ChipModel;
import dev.tessera.scheduler.engine.Communication;
import dev.tessera.scheduler.engine.ThroughputModel;
import dev.tessera.scheduler.engine.Workload;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throughput of one shard of a workload on one chip model: measured where the table has the
 * workload's profile and the chip, otherwise analytic, scaled to the measured units when the
 * profile is measured on other chips.
 *
 * <p>The analytic model: each chip delivers {@code MFU x} its dense TFLOPS, slowed by a memory term
 * (roofline-style, {@code 1/tflops + MEMORY_WEIGHT/bandwidth}) and by communication
 * {@code 1 / (1 + k x 900 / interconnect)}, where {@code k} grows with {@code workload.communication}.
 * A step is {@code 6 x parameters x tokens} FLOPs over a global batch of {@link #TOKENS_PER_STEP}
 * tokens. A shard whose weights, gradients and optimiser state ({@code 16 bytes/parameter}) do not fit
 * in its chips' memory cannot run.
 */
public final class PerformanceModel implements ThroughputModel {

    /** Model FLOPs utilisation typical of large-model training. */
    static final double MFU = 0.4;
    /** Calibrated so that on an H100 the memory term is 15 % of the compute term. */
    static final double MEMORY_WEIGHT = 0.15 * 3350 / 989;
    /** Link bandwidth the communication weights are stated against (H100 NVLink). */
    static final double REFERENCE_LINK_GBPS = 900;
    /** Global batch assumed for the analytic steps/s: 4 Mi tokens, a common pre-training setting. */
    public static final double TOKENS_PER_STEP = 4_194_304;
    static final double BYTES_PER_PARAMETER = 16;
    static final double USABLE_MEMORY = 0.9;
    private static final double GIB = 1024.0 * 1024 * 1024;

    private final ChipCatalog catalog;
    private final ThroughputTable measured;
    /**
     * How many calibrations are kept: one per profile, shard size and communication seen. Shard sizes are whatever
     * jobs send, so past this many a calibration is worked out each time instead of kept.
     */
    static final int CALIBRATIONS_KEPT = 10_000;
    private final Map<String, Double> calibration = new ConcurrentHashMap<>();

    public PerformanceModel(ChipCatalog catalog, ThroughputTable measured) {
        this.catalog = catalog;
        this.measured = measured == null ? ThroughputTable.empty() : measured;
    }

    /** Share of step time lost to chip-to-chip traffic on a 900 GB/s link, relative to compute. */
    static double communicationWeight(Communication c) {
        return switch (c) {
            case LOW -> 0.03;
            case MEDIUM -> 0.15;
            case HIGH -> 0.4;
        };
    }

    @Override
    public double shardThroughput(Workload w, String chip, int chipsPerShard, int tensorParallel) {
        ChipModel m = catalog.find(chip).orElse(null);
        if (m == null || !fits(w, m, chipsPerShard)) {
            return 0;
        }
        return scaled(w, m, chipsPerShard);
    }

    @Override
    public double h100Throughput(Workload w) {
        ChipModel h100 = catalog.find("h100").orElse(null);
        if (h100 == null) {
            return 0;
        }
        // one chip, memory not checked: the unit of H100-equivalents, not a runnable shard
        return scaled(w, h100, 1);
    }

    @Override
    public String whyUnfit(Workload w, String chip, int chipsPerShard) {
        ChipModel m = catalog.find(chip).orElse(null);
        if (m == null) {
            return "not in the chip catalog";
        }
        if (!fits(w, m, chipsPerShard)) {
            return String.format(Locale.ROOT, "%.0f GiB per chip cannot hold %.4g B parameters over %d chips (needs %.1f GiB each)",
                    m.memoryGiB(), w.parametersBillions(), chipsPerShard, needGiB(w, chipsPerShard));
        }
        return null;
    }

    private double scaled(Workload w, ChipModel m, int chips) {
        String profile = w.profile();
        if (profile == null || profile.isBlank() || !measured.hasProfile(profile)) {
            return analytic(w, m, chips);
        }
        OptionalDouble steps = measured.steps(m.id(), profile, chips, chips <= m.chipsPerNode());
        if (steps.isPresent()) {
            return steps.getAsDouble();
        }
        // Measured over analytic times analytic: the model size cancels out (the analytic figure falls as it grows,
        // the calibration rises), so both are worked out at one billion parameters, and one calibration serves
        // every model size.
        Workload unit = new Workload(w.profile(), w.communication(), 1, w.totalSteps());
        return analytic(unit, m, chips) * calibration(unit, chips);
    }

    /** Measured over analytic, averaged over the catalog chips the table measured this profile on. */
    private double calibration(Workload w, int chips) {
        String key = w.profile() + '\u0000' + chips + '\u0000' + w.communication();
        Double kept = calibration.get(key);
        if (kept != null) {
            return kept;
        }
        double worked = calibrate(w, chips);
        if (calibration.size() < CALIBRATIONS_KEPT) {
            calibration.putIfAbsent(key, worked);
        }
        return worked;
    }

    private double calibrate(Workload w, int chips) {
        double sum = 0;
        int n = 0;
        for (ChipModel m : catalog.models()) {
            OptionalDouble steps = measured.steps(m.id(), w.profile(), chips, chips <= m.chipsPerNode());
            double a = analytic(w, m, chips);
            if (steps.isPresent() && steps.getAsDouble() > 0 && a > 0) {
                sum += steps.getAsDouble() / a;
                n++;
            }
        }
        return n == 0 ? 1.0 : sum / n;
    }

    /** Calibrations kept now. */
    int calibrationsHeld() {
        return calibration.size();
    }

    /** Analytic steps/s of {@code chips} chips processing the whole global batch. */
    static double analytic(Workload w, ChipModel m, int chips) {
        if (m.bf16Tflops() <= 0) {
            return 0;
        }
        double perChip = MFU / (1 / m.bf16Tflops() + (m.memoryBandwidthGBps() > 0 ? MEMORY_WEIGHT / m.memoryBandwidthGBps() : 0));
        double link = m.interconnectGBps() > 0 ? m.interconnectGBps() : 16;
        double comm = 1 / (1 + communicationWeight(w.communication()) * REFERENCE_LINK_GBPS / link);
        double params = w.parametersBillions() > 0 ? w.parametersBillions() : 1;
        double flopsPerStep = 6 * params * 1e9 * TOKENS_PER_STEP;
        return chips * perChip * comm * 1e12 / flopsPerStep;
    }

    private static boolean fits(Workload w, ChipModel m, int chips) {
        return w.parametersBillions() <= 0 || needGiB(w, chips) <= m.memoryGiB() * USABLE_MEMORY;
    }

    private static double needGiB(Workload w, int chips) {
        return w.parametersBillions() * 1e9 * BYTES_PER_PARAMETER / chips / GIB;
    }
}
