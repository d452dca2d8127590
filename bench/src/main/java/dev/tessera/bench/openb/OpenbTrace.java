package dev.tessera.bench.openb;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tessera.bench.sim.JobSpec;
import dev.tessera.bench.sim.Pool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads the Alibaba openb node and task lists and turns them into pools and placement requests. */
public final class OpenbTrace {

    private OpenbTrace() {
    }

    public static List<OpenbNodeRow> readNodes(Path file) throws IOException {
        return readCsv(file, OpenbNodeRow.class);
    }

    public static List<OpenbPodRow> readPods(Path file) throws IOException {
        return readCsv(file, OpenbPodRow.class);
    }

    /** The trace's GPU model names as chip ids: {@code V100M16} becomes {@code v100m16}. */
    public static String chipId(String model) {
        return model.trim().toLowerCase(Locale.ROOT);
    }

    /** One pool per GPU model, named after it; nodes without GPUs are left out. */
    public static List<Pool> pools(List<OpenbNodeRow> nodes) {
        Map<String, List<Pool.Node>> byChip = new TreeMap<>();
        for (OpenbNodeRow node : nodes) {
            if (node.gpus() > 0) {
                byChip.computeIfAbsent(chipId(node.model()), c -> new ArrayList<>()).add(new Pool.Node(node.name(), node.gpus()));
            }
        }
        List<Pool> pools = new ArrayList<>();
        byChip.forEach((chip, members) -> pools.add(new Pool(chip, chip, members)));
        return pools;
    }

    /** Whether the file has arrival and deletion times ({@code multigpu50} has none). */
    public static boolean timed(List<OpenbPodRow> pods) {
        return pods.stream().allMatch(p -> p.creationTime() != null && p.deletionTime() != null);
    }

    /** How tasks arrive and leave in a replay. */
    public enum Arrivals {
        /** At their creation time, running as long as they ran in the real cluster. */
        TRACE,
        /** One a second in creation order, never ending: the fleet fills up until tasks no longer fit. */
        PACKED
    }

    /**
     * Each task that asks for GPUs as a one-shard job on one node (a pod does not span nodes).
     * A task sharing a fraction of a GPU takes one whole chip. With {@link Arrivals#TRACE} it
     * arrives at its creation time and runs as long as it ran in the real cluster; a task the real
     * cluster never scheduled runs for its whole recorded life (creation to deletion). A file
     * without times can only be replayed {@link Arrivals#PACKED}, in file order.
     */
    public static List<JobSpec> toJobs(List<OpenbPodRow> pods, Arrivals arrivals) {
        boolean timed = timed(pods);
        if (arrivals == Arrivals.TRACE && !timed) {
            throw new IllegalArgumentException("this task list has no times: replay it packed");
        }
        List<OpenbPodRow> ordered = new ArrayList<>();
        for (OpenbPodRow pod : pods) {
            if (pod.numGpu() > 0) {
                ordered.add(pod);
            }
        }
        if (timed) {
            ordered.sort(Comparator.comparingLong(OpenbPodRow::creationTime));
        }
        List<JobSpec> jobs = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            OpenbPodRow pod = ordered.get(i);
            double arrival;
            double duration;
            if (arrivals == Arrivals.TRACE) {
                arrival = pod.creationTime();
                long start = pod.scheduledTime() != null ? pod.scheduledTime() : pod.creationTime();
                duration = Math.max(0, pod.deletionTime() - start);
            } else {
                arrival = i;
                duration = Double.POSITIVE_INFINITY;
            }
            jobs.add(new JobSpec(pod.name(), arrival, 0, 1, 1, pod.numGpu(), pod.numGpu(), allowed(pod.gpuSpec()),
                    null, duration));
        }
        return jobs;
    }

    static Set<String> allowed(String gpuSpec) {
        if (gpuSpec == null || gpuSpec.isBlank()) {
            return Set.of();
        }
        Set<String> chips = new LinkedHashSet<>();
        Arrays.stream(gpuSpec.split("\\|")).filter(s -> !s.isBlank()).map(OpenbTrace::chipId).forEach(chips::add);
        return chips;
    }

    private static <T> List<T> readCsv(Path file, Class<T> type) throws IOException {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<T> rows = mapper.readerFor(type).with(schema).readValues(file.toFile())) {
            return rows.readAll();
        }
    }
}
