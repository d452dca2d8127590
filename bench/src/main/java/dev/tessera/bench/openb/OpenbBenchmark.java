package dev.tessera.bench.openb;

import dev.tessera.bench.engine.EnginePolicy;
import dev.tessera.bench.engine.SimulatedClock;
import dev.tessera.bench.engine.TesseraEngines;
import dev.tessera.bench.report.Plots;
import dev.tessera.bench.report.RunSummary;
import dev.tessera.bench.report.Stats;
import dev.tessera.bench.report.TextTable;
import dev.tessera.bench.sim.AgnosticFifoPolicy;
import dev.tessera.bench.sim.JobOutcome;
import dev.tessera.bench.sim.JobSpec;
import dev.tessera.bench.sim.Pool;
import dev.tessera.bench.sim.RateModel;
import dev.tessera.bench.sim.Runner;
import dev.tessera.bench.sim.Simulation;
import dev.tessera.bench.sim.SimulationResult;
import dev.tessera.scheduler.engine.Mixing;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Alibaba's heterogeneous GPU cluster replayed against the engine: does every task land on a GPU
 * model it allows, how long do tasks queue, how full does the fleet get, and how long does one
 * placement decision take. The agnostic baseline runs alongside to show what ignoring the
 * constraints costs.
 */
public final class OpenbBenchmark {

    public static final double LATENCY_P99_GOAL_MICROS = 1000;

    /** Catalog entries for the trace's undisclosed GPU models, which the default catalog lacks. */
    static final String CATALOG = "/dev/tessera/bench/openb/openb-catalog.yaml";

    public record Options(Path nodes, Path pods, OpenbTrace.Arrivals arrivals, long seed, boolean baseline,
                          boolean progress) {
    }

    /**
     * @param sharedGpuTasks         tasks that asked for a fraction of one GPU and were given a whole chip
     * @param neverScheduledInTrace  tasks the real cluster never ran (they run for their recorded life here)
     */
    public record Report(Options options, boolean timed, List<Pool> pools, int tasks, int gpuTasks, int sharedGpuTasks,
                         int constrainedTasks, int neverScheduledInTrace, List<SimulationResult> runs,
                         Map<String, RunSummary> summaries) {

        public RunSummary tessera() {
            return summaries.get(EnginePolicy.NAME);
        }

        public boolean goalsMet() {
            return tessera().constraintViolations() == 0 && tessera().latencyP99Micros() < LATENCY_P99_GOAL_MICROS;
        }
    }

    private OpenbBenchmark() {
    }

    public static Report run(Options options) throws IOException {
        List<Pool> pools = OpenbTrace.pools(OpenbTrace.readNodes(options.nodes()));
        List<OpenbPodRow> pods = OpenbTrace.readPods(options.pods());
        boolean timed = OpenbTrace.timed(pods);
        List<JobSpec> jobs = OpenbTrace.toJobs(pods, options.arrivals());
        int shared = (int) pods.stream().filter(p -> p.numGpu() > 0 && p.sharesGpu()).count();
        int never = timed ? (int) pods.stream().filter(p -> p.numGpu() > 0 && p.scheduledTime() == null).count() : 0;
        int constrained = (int) jobs.stream().filter(j -> !j.allowedChips().isEmpty()).count();

        Simulation simulation = new Simulation(RateModel.WALL_CLOCK, 0);
        SimulatedClock clock = new SimulatedClock(Instant.parse("2023-01-01T00:00:00Z"));
        List<SimulationResult> runs = new ArrayList<>();
        EnginePolicy tessera = new EnginePolicy(TesseraEngines.withCatalogOverride(CATALOG, clock), clock, pools,
                Mixing.SINGLE_TYPE);
        runs.add(Runner.run(simulation, jobs, pools, tessera, options.progress()));
        if (options.baseline()) {
            runs.add(Runner.run(simulation, jobs, pools, new AgnosticFifoPolicy(options.seed()), options.progress()));
        }
        Map<String, RunSummary> summaries = new LinkedHashMap<>();
        runs.forEach(r -> summaries.put(r.policy(), RunSummary.of(r)));
        return new Report(options, timed, pools, pods.size(), jobs.size(), shared, constrained, never, runs, summaries);
    }

    public static String table(Report report) {
        StringBuilder out = new StringBuilder();
        Map<String, Integer> fleet = new LinkedHashMap<>();
        report.pools().forEach(p -> fleet.put(p.chip(), p.capacity()));
        out.append(String.format("openb %s on %s: %d tasks, %d ask for GPUs (%d share one GPU and get a whole chip, "
                        + "%d restricted to certain models%s)%nreplay: %s%nfleet: %s%n%n",
                report.options().pods().getFileName(), report.options().nodes().getFileName(), report.tasks(),
                report.gpuTasks(), report.sharedGpuTasks(), report.constrainedTasks(),
                report.timed() ? ", " + report.neverScheduledInTrace() + " never ran in the real cluster" : ", no times in the file",
                report.options().arrivals() == OpenbTrace.Arrivals.TRACE
                        ? "arrivals and run times as recorded"
                        : "packed: one task a second in creation order, none ends",
                fleet));
        TextTable table = new TextTable("policy", "placed clean", "violations", "never placed", "queue p50 s",
                "queue p99 s", "alloc mean", "alloc peak", "decisions", "decision p50 us", "decision p99 us", "cpu p99 us");
        for (RunSummary s : report.summaries().values()) {
            table.row(s.policy(), TextTable.percent(s.placedFraction()), String.valueOf(s.constraintViolations()),
                    String.valueOf(s.jobs() - s.placed()), TextTable.fixed(s.queueDelayP50Seconds(), 0),
                    TextTable.fixed(s.queueDelayP99Seconds(), 0), TextTable.percent(s.utilisation()),
                    TextTable.percent(s.peakAllocationRatio()), String.valueOf(s.decisions()),
                    TextTable.fixed(s.latencyP50Micros(), 1), TextTable.fixed(s.latencyP99Micros(), 1),
                    TextTable.fixed(s.cpuP99Micros(), 1));
        }
        out.append(table.render());
        RunSummary t = report.tessera();
        out.append(String.format("%ntessera: %d constraint violations (goal 0), decision p99 %.1f us wall, %.1f us CPU"
                        + " (goal < %.0f us wall): %s%n",
                t.constraintViolations(), t.latencyP99Micros(), t.cpuP99Micros(), LATENCY_P99_GOAL_MICROS,
                report.goalsMet() ? "goals met" : "goals NOT met"));
        return out.toString();
    }

    public static Map<String, Object> json(Report report) {
        RunSummary t = report.tessera();
        SimulationResult tesseraRun = report.runs().get(0);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "openb");
        json.put("nodes", report.options().nodes().getFileName().toString());
        json.put("pods", report.options().pods().getFileName().toString());
        json.put("timed", report.timed());
        json.put("arrivals", report.options().arrivals().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Integer> fleet = new LinkedHashMap<>();
        report.pools().forEach(p -> fleet.put(p.chip(), p.capacity()));
        json.put("fleet", fleet);
        json.put("tasks", report.tasks());
        json.put("gpuTasks", report.gpuTasks());
        json.put("sharedGpuTasks", report.sharedGpuTasks());
        json.put("constrainedTasks", report.constrainedTasks());
        json.put("neverScheduledInTrace", report.neverScheduledInTrace());
        json.put("placedFraction", t.placedFraction());
        json.put("constraintViolations", t.constraintViolations());
        json.put("neverPlaced", t.jobs() - t.placed());
        json.put("queueDelayP50Seconds", t.queueDelayP50Seconds());
        json.put("queueDelayP99Seconds", t.queueDelayP99Seconds());
        json.put("latencyP50Micros", t.latencyP50Micros());
        json.put("latencyP99Micros", t.latencyP99Micros());
        json.put("latencyCpuP99Micros", t.cpuP99Micros());
        Map<String, Object> allocation = new LinkedHashMap<>();
        allocation.put("mean", t.utilisation());
        allocation.put("peak", t.peakAllocationRatio());
        allocation.put("series", series(tesseraRun, 200));
        json.put("allocationRatio", allocation);
        Map<String, Object> policies = new LinkedHashMap<>();
        report.summaries().forEach((name, s) -> policies.put(name, s.toJson()));
        json.put("policies", policies);
        json.put("latencyP99GoalMicros", LATENCY_P99_GOAL_MICROS);
        json.put("goalsMet", report.goalsMet());
        return json;
    }

    /**
     * Left: share of tasks placed on a model they allow, per task size, per policy (what a type
     * constraint is worth at a glance); right: how full the fleet was over time.
     */
    public static void plot(Report report, Path file) throws IOException {
        String title = "openb " + report.options().pods().getFileName();
        CategoryChart placed = new CategoryChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT)
                .title(title + ": tasks placed on an allowed model").xAxisTitle("GPUs the task asks for")
                .yAxisTitle("share of tasks").build();
        placed.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0")
                .setLegendPosition(Styler.LegendPosition.InsideNE);
        for (SimulationResult run : report.runs()) {
            Map<Integer, int[]> bySize = new TreeMap<>();
            for (JobOutcome o : run.outcomes()) {
                int[] counts = bySize.computeIfAbsent(o.job().chips(), k -> new int[2]);
                counts[0]++;
                counts[1] += o.placed() && o.constraintViolations() == 0 ? 1 : 0;
            }
            List<String> sizes = new ArrayList<>();
            List<Double> shares = new ArrayList<>();
            bySize.forEach((size, counts) -> {
                sizes.add(size + " (" + counts[0] + " tasks)");
                shares.add((double) counts[1] / counts[0]);
            });
            placed.addSeries(run.policy(), sizes, shares);
        }
        boolean trace = report.options().arrivals() == OpenbTrace.Arrivals.TRACE;
        Plots.save(file, List.of(placed, Plots.allocation(title + ": chips allocated", report.runs(),
                trace ? 86400 : 1, trace ? "days" : "seconds, one task arrives per second")));
    }

    /** {@code [seconds, ratio]} pairs at evenly spaced times. */
    private static List<double[]> series(SimulationResult run, int points) {
        double[] times = run.allocationTimes();
        List<double[]> out = new ArrayList<>();
        if (times.length == 0) {
            return out;
        }
        double from = times[0];
        double to = times[times.length - 1];
        for (int i = 0; i < points; i++) {
            double t = from + (to - from) * i / (points - 1);
            out.add(new double[] {t, Stats.valueAt(times, run.allocationRatios(), t)});
        }
        return out;
    }
}
