package dev.tessera.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The files of the chart itself: the CRD copy, the documented values, the first-job notes. */
class ChartFilesTest {

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_-]*):(.*)$");

    @Test
    void theChartShipsTheSameCrdTheOperatorBuildGenerates() throws IOException {
        Path generated = ChartFiles.TOP_LEVEL_CRDS.resolve(ChartFiles.CRD_FILE);
        Path shipped = ChartFiles.CHART.resolve("crds").resolve(ChartFiles.CRD_FILE);
        Assumptions.assumeTrue(Files.exists(generated), "the operator build has not generated " + generated + " yet");
        assertThat(shipped).as("copy " + generated + " into the chart's crds/").exists();
        assertThat(Files.readString(shipped)).as("charts/tessera/crds differs from crds/; copy it again")
                .isEqualTo(Files.readString(generated));
    }

    /**
     * Every value carries a {@code # --} comment: a key is documented itself, or sits inside a documented
     * key, or only groups documented keys.
     */
    @Test
    void everyValueIsDocumented() throws IOException {
        List<String> lines = Files.readAllLines(ChartFiles.CHART.resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        Deque<int[]> documentedAncestors = new ArrayDeque<>(); // indentation of documented keys still open
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            while (!documentedAncestors.isEmpty() && documentedAncestors.peek()[0] >= indent) {
                documentedAncestors.pop();
            }
            Matcher key = KEY.matcher(line);
            if (!key.matches() || !documentedAncestors.isEmpty()) {
                continue; // list items and the inside of documented values
            }
            boolean documented = n > 0 && lines.get(n - 1).strip().startsWith("# --");
            if (documented) {
                documentedAncestors.push(new int[] {indent});
            } else if (!opensBlock(lines, n, indent)) {
                undocumented.add((n + 1) + ": " + line.strip());
            }
        }
        assertThat(undocumented).as("values without a # -- comment").isEmpty();
    }

    @Test
    void theNotesTellTheUserHowToSubmitAFirstJob() throws IOException {
        String notes = Files.readString(ChartFiles.CHART.resolve("templates").resolve("NOTES.txt"));
        assertThat(notes).contains("kind: TrainingJob", "apiVersion: tessera.dev/v1alpha1", "kubectl apply", "get tj");
    }

    private static boolean opensBlock(List<String> lines, int n, int indent) {
        if (!KEY.matcher(lines.get(n)).replaceFirst("$3").isBlank()) {
            return false;
        }
        for (int next = n + 1; next < lines.size(); next++) {
            String line = lines.get(next);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            return line.length() - line.stripLeading().length() > indent;
        }
        return false;
    }
}
