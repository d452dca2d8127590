package dev.tessera.bench.sim;

import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Runs one policy over a trace, with a progress bar on standard error when asked. */
public final class Runner {

    private Runner() {
    }

    public static SimulationResult run(Simulation simulation, List<JobSpec> jobs, List<Pool> pools,
                                       PlacementPolicy policy, boolean progress) {
        if (!progress) {
            return simulation.run(jobs, pools, policy, Progress.NONE);
        }
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(String.format("%-12s", policy.name()))
                .setInitialMax(jobs.size()).setStyle(ProgressBarStyle.ASCII).setUnit(" jobs", 1)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(200).build()) {
            return simulation.run(jobs, pools, policy, bar::step);
        }
    }
}
