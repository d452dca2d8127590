package dev.tessera.scheduler.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measured training throughput in the shape of Gavel's {@code simulation_throughputs.json}:
 * {@code {worker_type: {"('<job type>', <scale>)": {"null": <steps/s alone>, ...}}}}. Only the
 * {@code "null"} entry (the job running alone) is used; GPU-sharing pairs are not scheduled here.
 */
public final class ThroughputTable {

    private static final Pattern KEY = Pattern.compile("^\\('(.*)',\\s*(\\d+)\\)$");
    private static final String UNCONSOLIDATED = "_unconsolidated";

    /** worker type → job type → scale → steps/s. */
    private final Map<String, Map<String, TreeMap<Integer, Double>>> table;

    private ThroughputTable(Map<String, Map<String, TreeMap<Integer, Double>>> table) {
        this.table = table;
    }

    public static ThroughputTable empty() {
        return new ThroughputTable(Map.of());
    }

    public static ThroughputTable load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static ThroughputTable read(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        Map<String, Map<String, TreeMap<Integer, Double>>> table = new HashMap<>();
        if (root == null || !root.isObject()) {
            throw new IOException("throughput table must be a JSON object of worker types");
        }
        for (Iterator<Map.Entry<String, JsonNode>> workers = root.fields(); workers.hasNext();) {
            Map.Entry<String, JsonNode> w = workers.next();
            for (Iterator<Map.Entry<String, JsonNode>> jobs = w.getValue().fields(); jobs.hasNext();) {
                Map.Entry<String, JsonNode> j = jobs.next();
                Matcher m = KEY.matcher(j.getKey());
                JsonNode alone = j.getValue().get("null");
                if (!m.matches() || alone == null || !alone.isNumber()) {
                    continue;
                }
                table.computeIfAbsent(w.getKey().toLowerCase(), k -> new HashMap<>())
                        .computeIfAbsent(m.group(1), k -> new TreeMap<>())
                        .put(Integer.parseInt(m.group(2)), alone.asDouble());
            }
        }
        return new ThroughputTable(table);
    }

    public boolean isEmpty() {
        return table.isEmpty();
    }

    public boolean hasProfile(String profile) {
        for (Map<String, TreeMap<Integer, Double>> w : table.values()) {
            if (w.containsKey(profile)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Steps/s of {@code profile} on {@code chips} chips of {@code chip}; empty when not measured.
     * Chip ids with a memory suffix ({@code v100m32}) fall back to the plain worker type ({@code v100}).
     * Scales between measured ones are scaled linearly from the next smaller measured scale, with a
     * 10 % cost beyond it for the extra communication.
     */
    public OptionalDouble steps(String chip, String profile, int chips, boolean consolidated) {
        if (profile == null) {
            return OptionalDouble.empty();
        }
        Map<String, TreeMap<Integer, Double>> w = worker(chip, consolidated);
        if (w == null || !w.containsKey(profile)) {
            return OptionalDouble.empty();
        }
        TreeMap<Integer, Double> byScale = w.get(profile);
        Map.Entry<Integer, Double> e = byScale.floorEntry(chips);
        if (e == null) {
            return OptionalDouble.empty();
        }
        if (e.getKey() == chips) {
            return OptionalDouble.of(e.getValue());
        }
        return OptionalDouble.of(e.getValue() * chips / e.getKey() * 0.9);
    }

    private Map<String, TreeMap<Integer, Double>> worker(String chip, boolean consolidated) {
        String base = chip.toLowerCase();
        String plain = base.replaceFirst("m\\d+$", "");
        for (String id : new String[] {base, plain}) {
            if (!consolidated && table.containsKey(id + UNCONSOLIDATED)) {
                return table.get(id + UNCONSOLIDATED);
            }
            if (table.containsKey(id)) {
                return table.get(id);
            }
        }
        return null;
    }
}
