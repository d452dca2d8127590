package dev.tessera.bench.gavel;

import dev.tessera.bench.engine.EnginePolicy;
import dev.tessera.bench.engine.SimulatedClock;
import dev.tessera.bench.engine.TesseraEngines;
import dev.tessera.bench.report.Plots;
import dev.tessera.bench.report.RunSummary;
import dev.tessera.bench.report.TextTable;
import dev.tessera.bench.sim.AgnosticFifoPolicy;
import dev.tessera.bench.sim.JobOutcome;
import dev.tessera.bench.sim.JobSpec;
import dev.tessera.bench.sim.Pool;
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

/**
 * Gavel's question on Gavel's data: how much faster do jobs finish when placement knows each job's
 * measured speed on each chip model? Tessera's engine and the agnostic baseline replay the same
 * trace on the same cluster; the ratio of their average job completion times is the answer.
 */
public final class GavelBenchmark {

    /** The goal the issue sets: average JCT at least this much better than the baseline. */
    public static final double JCT_RATIO_GOAL = 1.5;

    /** Chip models of a {@code --cluster a:b:c} spec, in order. */
    public static final List<String> CHIPS = List.of("k80", "p100", "v100");

    public record Options(Path throughputs, Path trace, Map<String, Integer> cluster, int chipsPerNode, long seed,
                          Mixing mixing, double retryIntervalSeconds, boolean progress) {
    }

    /** The figures of one benchmark run. */
    public record Report(Options options, int jobs, List<SimulationResult> runs, Map<String, RunSummary> summaries) {

        public double jctRatio() {
            return summaries.get(AgnosticFifoPolicy.NAME).avgJctSeconds() / summaries.get(EnginePolicy.NAME).avgJctSeconds();
        }
    }

    private GavelBenchmark() {
    }

    public static Map<String, Integer> parseCluster(String spec) {
        String[] parts = spec.split(":");
        if (parts.length != CHIPS.size()) {
            throw new IllegalArgumentException("--cluster wants k80:p100:v100 counts, e.g. 36:36:36; got " + spec);
        }
        Map<String, Integer> cluster = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            int n = Integer.parseInt(parts[i].trim());
            if (n < 0) {
                throw new IllegalArgumentException("negative chip count in --cluster " + spec);
            }
            cluster.put(CHIPS.get(i), n);
        }
        return cluster;
    }

    /** One pool per chip model, of nodes with {@code chipsPerNode} chips (the last one takes the remainder). */
    public static List<Pool> pools(Map<String, Integer> cluster, int chipsPerNode) {
        List<Pool> pools = new ArrayList<>();
        cluster.forEach((chip, count) -> {
            List<Pool.Node> nodes = new ArrayList<>();
            for (int i = 0, left = count; left > 0; i++, left -= chipsPerNode) {
                nodes.add(new Pool.Node(String.format("%s-n%03d", chip, i), Math.min(chipsPerNode, left)));
            }
            if (!nodes.isEmpty()) {
                pools.add(new Pool(chip, chip, nodes));
            }
        });
        return pools;
    }

    public static Report run(Options options) throws IOException {
        ThroughputTable table = ThroughputTable.read(options.throughputs());
        List<JobSpec> jobs = GavelTrace.toJobs(GavelTrace.read(options.trace()));
        for (JobSpec job : jobs) {
            for (String chip : options.cluster().keySet()) {
                table.perChip(job.profile(), chip, job.chipsPerShard());
            }
        }
        List<Pool> pools = pools(options.cluster(), options.chipsPerNode());
        Simulation simulation = new Simulation(new GavelRateModel(table), options.retryIntervalSeconds());
        SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
        EnginePolicy tessera = new EnginePolicy(TesseraEngines.withMeasuredThroughputs(options.throughputs(), clock),
                clock, pools, options.mixing());
        List<SimulationResult> runs = new ArrayList<>();
        runs.add(Runner.run(simulation, jobs, pools, tessera, options.progress()));
        runs.add(Runner.run(simulation, jobs, pools, new AgnosticFifoPolicy(options.seed(),
                (job, chip) -> table.perChip(job.profile(), chip, job.chipsPerShard()) > 0), options.progress()));
        Map<String, RunSummary> summaries = new LinkedHashMap<>();
        runs.forEach(r -> summaries.put(r.policy(), RunSummary.of(r)));
        return new Report(options, jobs.size(), runs, summaries);
    }

    public static String table(Report report) {
        Options o = report.options();
        StringBuilder out = new StringBuilder();
        out.append(String.format("Gavel trace %s: %d jobs on %s (%d chips per node), mixing %s, baseline seed %d%n%n",
                o.trace().getFileName(), report.jobs(), o.cluster(), o.chipsPerNode(), o.mixing(), o.seed()));
        TextTable table = new TextTable("policy", "finished", "avg JCT h", "p50 JCT h", "p99 JCT h", "makespan h",
                "utilisation", "queue p99 h", "failed starts", "decisions", "decision p99 us", "cpu p99 us");
        for (RunSummary s : report.summaries().values()) {
            table.row(s.policy(), s.finished() + "/" + s.jobs(), h(s.avgJctSeconds()), h(s.p50JctSeconds()),
                    h(s.p99JctSeconds()), h(s.makespanSeconds()), TextTable.percent(s.utilisation()),
                    h(s.queueDelayP99Seconds()), String.valueOf(s.failedStarts()), String.valueOf(s.decisions()), TextTable.fixed(s.latencyP99Micros(), 1),
                    TextTable.fixed(s.cpuP99Micros(), 1));
        }
        out.append(table.render());
        double ratio = report.jctRatio();
        out.append(String.format("%naverage JCT, baseline / tessera: %.2fx (goal >= %.1fx: %s)%n", ratio, JCT_RATIO_GOAL,
                ratio >= JCT_RATIO_GOAL ? "met" : "NOT met"));
        return out.toString();
    }

    public static Map<String, Object> json(Report report) {
        Options o = report.options();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "gavel");
        json.put("trace", o.trace().getFileName().toString());
        json.put("cluster", o.cluster());
        json.put("chipsPerNode", o.chipsPerNode());
        json.put("mixing", o.mixing().name());
        json.put("seed", o.seed());
        json.put("jobs", report.jobs());
        Map<String, Object> policies = new LinkedHashMap<>();
        report.summaries().forEach((name, s) -> policies.put(name, s.toJson()));
        json.put("policies", policies);
        json.put("jctRatio", report.jctRatio());
        json.put("jctRatioGoal", JCT_RATIO_GOAL);
        json.put("goalMet", report.jctRatio() >= JCT_RATIO_GOAL);
        return json;
    }

    public static void plot(Report report, Path file) throws IOException {
        List<double[]> jct = new ArrayList<>();
        for (SimulationResult run : report.runs()) {
            jct.add(run.outcomes().stream().filter(JobOutcome::finished).mapToDouble(JobOutcome::completionSeconds).toArray());
        }
        String trace = "Gavel " + report.options().trace().getFileName();
        Plots.save(file, List.of(
                Plots.distribution(trace + ": job completion time", report.runs(), jct, 3600, "job completion time (hours)"),
                Plots.allocation(trace + ": chips allocated", report.runs(), 3600, "hours")));
    }

    private static String h(double seconds) {
        return TextTable.fixed(seconds / 3600, 2);
    }
}
