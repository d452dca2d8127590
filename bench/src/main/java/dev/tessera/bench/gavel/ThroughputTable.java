package dev.tessera.bench.gavel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gavel's measured throughputs: steps per second of a job type running alone on N chips of one
 * model (the {@code "null"} entry of {@code simulation_throughputs.json}). Only the consolidated
 * worker types are read; the {@code *_unconsolidated} variants describe chips spread over servers.
 */
public final class ThroughputTable {

    private static final Pattern KEY = Pattern.compile("^\\('(.+)', (\\d+)\\)$");

    /** profile, chip, scale -> steps per second of the whole scale-chip job. */
    private final Map<String, Map<String, NavigableMap<Integer, Double>>> table;

    public ThroughputTable(Map<String, Map<String, NavigableMap<Integer, Double>>> table) {
        this.table = table;
    }

    public static ThroughputTable read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, Map<String, NavigableMap<Integer, Double>>> table = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> workers = root.fields(); workers.hasNext(); ) {
            Map.Entry<String, JsonNode> worker = workers.next();
            if (worker.getKey().contains("_")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> jobs = worker.getValue().fields(); jobs.hasNext(); ) {
                Map.Entry<String, JsonNode> job = jobs.next();
                Matcher key = KEY.matcher(job.getKey());
                JsonNode alone = job.getValue().get("null");
                if (!key.matches() || alone == null || !alone.isNumber()) {
                    throw new IOException("unexpected entry " + worker.getKey() + " / " + job.getKey() + " in " + file);
                }
                table.computeIfAbsent(key.group(1), p -> new TreeMap<>())
                        .computeIfAbsent(worker.getKey(), c -> new TreeMap<>())
                        .put(Integer.parseInt(key.group(2)), alone.asDouble());
            }
        }
        return new ThroughputTable(table);
    }

    public Set<String> profiles() {
        return Collections.unmodifiableSet(table.keySet());
    }

    public Set<String> chips(String profile) {
        return Collections.unmodifiableSet(table.getOrDefault(profile, Map.of()).keySet());
    }

    /** The measured figures of one profile on one chip: scale -> steps per second; empty if unmeasured. */
    public NavigableMap<Integer, Double> measured(String profile, String chip) {
        return Collections.unmodifiableNavigableMap(
                table.getOrDefault(profile, Map.of()).getOrDefault(chip, new TreeMap<>()));
    }

    /**
     * Steps per second that one chip contributes when the job runs at the given scale. An
     * unmeasured scale is extrapolated linearly from the largest measured scale below it (or the
     * smallest above): data-parallel replicas add their throughput.
     */
    public double perChip(String profile, String chip, int scale) {
        NavigableMap<Integer, Double> byScale = table.getOrDefault(profile, Map.of()).get(chip);
        if (byScale == null || byScale.isEmpty()) {
            throw new IllegalArgumentException("no throughput measured for " + profile + " on " + chip);
        }
        Map.Entry<Integer, Double> base = byScale.floorEntry(scale);
        if (base == null) {
            base = byScale.firstEntry();
        }
        return base.getValue() / base.getKey();
    }
}
