package dev.tessera.scheduler.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a catalog override, YAML or JSON: {@code {chips: [{id, vendor, name, bf16Tflops, ...}]}}.
 * An entry with a known id replaces only the fields it sets; a new id adds a model and must set the
 * figures the performance model needs.
 */
public final class CatalogFile {

    /** One entry as written in the file; absent fields are null. */
    public record Entry(String id, String vendor, String name, Double bf16Tflops, Double memoryGiB,
            Double memoryBandwidthGBps, Double interconnectGBps, String resourceName, List<String> aliases,
            Integer chipsPerNode, Confidence confidence, String notes) {
    }

    public record Document(List<Entry> chips) {
    }

    private CatalogFile() {
    }

    public static ChipCatalog load(Path file, List<ChipModel> defaults) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return merge(defaults, read(in));
        }
    }

    public static Document read(InputStream in) throws IOException {
        // YAML is a superset of JSON, so one parser reads both
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL, false);
        Document doc = mapper.readValue(in, Document.class);
        return doc == null ? new Document(List.of()) : doc;
    }

    public static ChipCatalog merge(List<ChipModel> defaults, Document doc) {
        Map<String, ChipModel> models = new LinkedHashMap<>();
        defaults.forEach(m -> models.put(m.id(), m));
        List<String> problems = new ArrayList<>();
        for (Entry e : doc.chips() == null ? List.<Entry>of() : doc.chips()) {
            if (e.id() == null || e.id().isBlank() || !e.id().equals(e.id().toLowerCase(Locale.ROOT))) {
                problems.add("chip id must be a lowercase string: " + e.id());
                continue;
            }
            ChipModel base = models.get(e.id());
            if (base == null) {
                if (e.bf16Tflops() == null || e.memoryGiB() == null || e.resourceName() == null) {
                    problems.add("new chip " + e.id() + " needs bf16Tflops, memoryGiB and resourceName");
                    continue;
                }
                base = new ChipModel(e.id(), "unknown", e.id(), 0, 0, 0, 0, null, List.of(), 8, Confidence.UNCONFIRMED, "");
            }
            models.put(e.id(), new ChipModel(e.id(), or(e.vendor(), base.vendor()), or(e.name(), base.name()),
                    or(e.bf16Tflops(), base.bf16Tflops()), or(e.memoryGiB(), base.memoryGiB()),
                    or(e.memoryBandwidthGBps(), base.memoryBandwidthGBps()), or(e.interconnectGBps(), base.interconnectGBps()),
                    or(e.resourceName(), base.resourceName()), or(e.aliases(), base.aliases()),
                    or(e.chipsPerNode(), base.chipsPerNode()), or(e.confidence(), base.confidence()), or(e.notes(), base.notes())));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("catalog file: " + String.join("; ", problems));
        }
        return new ChipCatalog(models.values());
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
