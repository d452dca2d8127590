package dev.tessera.operator.reconcile;

import java.util.ArrayList;
import java.util.List;

import dev.tessera.operator.api.TrainingJobSpec;
import dev.tessera.operator.scheduler.Catalog;

/** What the CRD schema cannot check: chip models against the live catalog, and rules an old CRD may lack. */
public final class SpecValidator {
    private SpecValidator() {
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
        if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null
                || template.getSpec().getContainers().isEmpty()) {
            problems.add("spec.template.spec.containers must hold at least one container");
        } else if (template.getSpec().getContainers().stream().anyMatch(c -> c.getImage() == null || c.getImage().isBlank())) {
            problems.add("spec.template.spec.containers: every container needs an image");
        }
        return problems;
    }
}
