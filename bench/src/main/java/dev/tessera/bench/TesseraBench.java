package dev.tessera.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.bench.gavel.GavelBenchmark;
import dev.tessera.bench.openb.OpenbBenchmark;
import dev.tessera.bench.openb.OpenbTrace;
import dev.tessera.scheduler.engine.Mixing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Command line of {@code ./tessera-bench}: {@code gavel ...} or {@code openb ...}. */
public final class TesseraBench {

    static final String USAGE = """
            usage:
              tessera-bench gavel --throughputs FILE --trace FILE [--cluster K80:P100:V100] [--chips-per-node N]
                                  [--mixing single|allowed] [--seed N] [--retry-interval SECONDS]
                                  [--json FILE] [--plot FILE.png] [--no-progress]
              tessera-bench openb --nodes FILE --pods FILE [--arrivals trace|packed] [--seed N] [--no-baseline]
                                  [--json FILE] [--plot FILE.png] [--no-progress]
            defaults: --cluster 36:36:36, --chips-per-node 4, --mixing single, --seed 1, --retry-interval 0 (off),
                      --arrivals trace (packed for a task list without times)
            """;

    private static final Set<String> FLAGS = Set.of("--no-progress", "--no-baseline");

    private TesseraBench() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (UsageException e) {
            System.err.println("tessera-bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (IOException | IllegalArgumentException e) {
            // unreadable or inconsistent input files: say what, without a stack trace
            System.err.println("tessera-bench: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args) throws IOException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Map<String, String> options = parse(List.of(args).subList(1, args.length));
        boolean progress = !options.containsKey("--no-progress");
        long seed = number(options, "--seed", "1").longValue();
        switch (args[0]) {
            case "gavel" -> {
                allow(options, "--throughputs", "--trace", "--cluster", "--chips-per-node", "--mixing", "--seed",
                        "--retry-interval", "--json", "--plot", "--no-progress");
                Mixing mixing = switch (options.getOrDefault("--mixing", "single").toLowerCase(Locale.ROOT)) {
                    case "single" -> Mixing.SINGLE_TYPE;
                    case "allowed" -> Mixing.ALLOWED;
                    default -> throw new UsageException("--mixing is single or allowed");
                };
                GavelBenchmark.Options o = new GavelBenchmark.Options(file(options, "--throughputs"),
                        file(options, "--trace"), cluster(options.getOrDefault("--cluster", "36:36:36")),
                        positive(options, "--chips-per-node", "4"), seed, mixing,
                        number(options, "--retry-interval", "0").doubleValue(), progress);
                GavelBenchmark.Report report = GavelBenchmark.run(o);
                System.out.print(GavelBenchmark.table(report));
                writeOutputs(options, GavelBenchmark.json(report));
                if (options.containsKey("--plot")) {
                    GavelBenchmark.plot(report, Path.of(options.get("--plot")));
                }
            }
            case "openb" -> {
                allow(options, "--nodes", "--pods", "--arrivals", "--seed", "--no-baseline", "--json", "--plot",
                        "--no-progress");
                Path pods = file(options, "--pods");
                OpenbTrace.Arrivals arrivals = switch (options.getOrDefault("--arrivals", "").toLowerCase(Locale.ROOT)) {
                    case "trace" -> OpenbTrace.Arrivals.TRACE;
                    case "packed" -> OpenbTrace.Arrivals.PACKED;
                    case "" -> OpenbTrace.timed(OpenbTrace.readPods(pods)) ? OpenbTrace.Arrivals.TRACE
                            : OpenbTrace.Arrivals.PACKED;
                    default -> throw new UsageException("--arrivals is trace or packed");
                };
                OpenbBenchmark.Options o = new OpenbBenchmark.Options(file(options, "--nodes"), pods, arrivals, seed,
                        !options.containsKey("--no-baseline"), progress);
                OpenbBenchmark.Report report = OpenbBenchmark.run(o);
                System.out.print(OpenbBenchmark.table(report));
                writeOutputs(options, OpenbBenchmark.json(report));
                if (options.containsKey("--plot")) {
                    OpenbBenchmark.plot(report, Path.of(options.get("--plot")));
                }
            }
            default -> throw new UsageException("unknown benchmark " + args[0] + " (gavel or openb)");
        }
        return 0;
    }

    private static void writeOutputs(Map<String, String> options, Map<String, Object> json) throws IOException {
        if (options.containsKey("--json")) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(options.get("--json")).toFile(), json);
        }
    }

    static Map<String, String> parse(List<String> args) {
        Map<String, String> options = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(args);
        while (!queue.isEmpty()) {
            String arg = queue.poll();
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument " + arg);
            }
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            } else if (FLAGS.contains(arg)) {
                value = "true";
            } else if (queue.isEmpty()) {
                throw new UsageException(arg + " needs a value");
            } else {
                value = queue.poll();
            }
            options.put(arg, value);
        }
        return options;
    }

    private static void allow(Map<String, String> options, String... known) {
        Set<String> allowed = Set.of(known);
        for (String key : options.keySet()) {
            if (!allowed.contains(key)) {
                throw new UsageException("unknown option " + key);
            }
        }
    }

    private static Path file(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            throw new UsageException(key + " is required");
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw new UsageException(key + ": cannot read " + value);
        }
        return path;
    }

    private static Double number(Map<String, String> options, String key, String fallback) {
        try {
            return Double.valueOf(options.getOrDefault(key, fallback));
        } catch (NumberFormatException e) {
            throw new UsageException(key + " must be a number");
        }
    }

    private static Map<String, Integer> cluster(String spec) {
        try {
            return GavelBenchmark.parseCluster(spec);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static int positive(Map<String, String> options, String key, String fallback) {
        try {
            int value = Integer.parseInt(options.getOrDefault(key, fallback));
            if (value < 1) {
                throw new UsageException(key + " must be at least 1");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(key + " must be a whole number");
        }
    }

    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }
}
