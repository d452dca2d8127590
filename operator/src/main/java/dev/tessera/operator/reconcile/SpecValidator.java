package dev.tessera.operator.reconcile;

import java.util.ArrayList;
import java.util.List;

import dev.tessera.operator.api.TrainingJobSpec;
import dev.tessera.operator.scheduler.Catalog;

/** What the CRD schema cannot check: chip models against the live catalog, and rules an old CRD may lack. */
public final class SpecValidator {
    private SpecValidator() {
    }

    private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    /**
     * The job's name as its workers need it: their headless Service is named after the job, so the name
     * must be a DNS label (lowercase letters, digits and '-', starting with a letter, no dots), and each
     * worker's host name {@code <name>-s<shard>-w<worker>} must fit the 63 characters of a DNS label too.
     * The API accepts names (dots, a leading digit, up to 253 characters) that would fail there.
     */
    public static List<String> validateName(String name, TrainingJobSpec spec) {
        if (name == null || spec == null) {
            return List.of();
        }
        int longest = 63 - ("-s" + Math.max(0, spec.getShards() - 1) + "-w" + Math.max(0, spec.getChipsPerShard() - 1)).length();
        if (!DNS_LABEL.matcher(name).matches() || name.length() > longest) {
            return List.of("metadata.name '" + name + "': the workers' Service and host names are made from it, so it must be"
                    + " lowercase letters, digits and '-', start with a letter, hold no dots and be at most " + longest
                    + " characters for " + spec.getShards() + " shards of " + spec.getChipsPerShard() + " chips");
        }
        return List.of();
    }

    public static List<String> validate(TrainingJobSpec spec, Catalog catalog) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            problems.add("spec is missing");
            return problems;
        }
        if (spec.getShards() < 1) {
            problems.add("spec.shards must be at least 1");
        }
        if (spec.getChipsPerShard() < 1) {
            problems.add("spec.chipsPerShard must be at least 1");
        }
        if (spec.effectiveMinShards() < 1 || spec.effectiveMinShards() > spec.getShards()) {
            problems.add("spec.minShards must be between 1 and spec.shards (" + spec.getShards() + ")");
        }
        int tp = spec.effectiveTensorParallel();
        if (tp < 1 || spec.getChipsPerShard() % tp != 0) {
            problems.add("spec.chipsPerShard (" + spec.getChipsPerShard() + ") must be a multiple of tensorParallel (" + tp + ")");
        }
        if (spec.getChips() != null) {
            for (String chip : spec.getChips().getAllowed()) {
                if (!catalog.knows(chip)) {
                    problems.add("spec.chips.allowed: unknown chip model '" + chip + "'");
                }
            }
            for (String chip : spec.getChips().getPreferred()) {
                if (!catalog.knows(chip)) {
                    problems.add("spec.chips.preferred: unknown chip model '" + chip + "'");
                } else if (!spec.getChips().getAllowed().isEmpty() && !spec.getChips().getAllowed().contains(chip)) {
                    problems.add("spec.chips.preferred: '" + chip + "' is not in spec.chips.allowed");
                }
            }
        }
        var template = spec.getTemplate();
        if (template != null && template.getSpec() != null && template.getSpec().getContainers() != null
                && template.getSpec().getContainers().stream().anyMatch(c -> c.getName() == null || c.getName().isBlank())) {
            problems.add("spec.template.spec.containers: every container needs a name");
        }
        if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null
                || template.getSpec().getContainers().isEmpty()) {
            problems.add("spec.template.spec.containers must hold at least one container");
        } else if (template.getSpec().getContainers().stream().anyMatch(c -> c.getImage() == null || c.getImage().isBlank())) {
            problems.add("spec.template.spec.containers: every container needs an image");
        }
        return problems;
    }
}
