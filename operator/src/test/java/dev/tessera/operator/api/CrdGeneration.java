package dev.tessera.operator.api;

import java.nio.file.Files;
import java.nio.file.Path;

import io.fabric8.crdv2.generator.CRDGenerator;

/** Runs the same CRD generator the build uses, so a test can compare its output with the committed file. */
final class CrdGeneration {
    private CrdGeneration() {
    }

    static Path generate(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        new CRDGenerator().inOutputDir(dir.toFile()).forCRDVersions("v1").customResourceClasses(TrainingJob.class)
                .detailedGenerate();
        return dir.resolve("trainingjobs.tessera.dev-v1.yml");
    }
}
