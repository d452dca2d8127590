package dev.tessera.local.kube;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the real kubectl: {@code $KUBECTL}, else the PATH. */
final class Kubectl {

    private Kubectl() {
    }

    static String path() {
        String explicit = System.getenv("KUBECTL");
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return explicit;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    static void assumePresent() {
        Assumptions.assumeTrue(path() != null, "no kubectl on this machine");
    }
}
