package dev.tessera.bench.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Discrete-event replay of a trace in simulated time: jobs arrive, wait in a queue, get chips
 * from the policy and run until their work is done at the rate their chips give them.
 *
 * <p>The queue is walked in priority then arrival order, and a job that does not fit does not
 * block the ones behind it, the way the operator re-asks the scheduler for every pending job.
 * Every policy gets the same walk, so a difference in results comes from where it puts jobs.
 * A pending job is asked again only when something may have changed for it: chips were freed,
 * or (with a retry interval) time passed.
 */
public final class Simulation {

    private final RateModel rateModel;
    private final double retryIntervalSeconds;

    /**
     * @param retryIntervalSeconds if positive, pending jobs are also asked again this often while
     *                             they wait, for policies whose answer depends on time
     */
    public Simulation(RateModel rateModel, double retryIntervalSeconds) {
        this.rateModel = rateModel;
        this.retryIntervalSeconds = retryIntervalSeconds;
    }

    public SimulationResult run(List<JobSpec> trace, List<Pool> pools, PlacementPolicy policy, Progress progress) {
        return new Run(trace, pools, policy, progress).execute();
    }

    private static final class Running {
        final Placement placement;
        final double since;
        final double remainingAtStart;
        final double rate;
        final long version;

        Running(Placement placement, double since, double remainingAtStart, double rate, long version) {
            this.placement = placement;
            this.since = since;
            this.remainingAtStart = remainingAtStart;
            this.rate = rate;
            this.version = version;
        }
    }

    private record Completion(double time, String jobId, long version) {
    }

    private static final class Record {
        double start = Double.NaN;
        double end = Double.NaN;
        double remaining;
        int preemptions;
        int violations;
        int failedStarts;
        Placement first;
    }

    private final class Run {
        private final List<JobSpec> arrivals;
        private final PlacementPolicy policy;
        private final Progress progress;
        private final Cluster cluster;
        private final boolean skipWithoutCapacity;
        private final Map<String, JobSpec> jobs = new HashMap<>();
        private final Map<String, Integer> order = new HashMap<>();
        private final Map<String, Record> records = new HashMap<>();
        private final Map<String, Running> running = new HashMap<>();
        private final PriorityQueue<Completion> completions = new PriorityQueue<>(
                Comparator.comparingDouble(Completion::time).thenComparing(Completion::jobId));
        private final TreeSet<JobSpec> pending;
        private final List<Double> sampleTimes = new ArrayList<>();
        private final List<Double> sampleRatios = new ArrayList<>();
        private final DecisionTimes measured = new DecisionTimes();
        private long versions;

        Run(List<JobSpec> trace, List<Pool> pools, PlacementPolicy policy, Progress progress) {
            this.arrivals = new ArrayList<>(trace);
            this.arrivals.sort(Comparator.comparingDouble(JobSpec::arrivalSeconds));
            this.policy = policy;
            this.progress = progress;
            this.cluster = new Cluster(pools);
            for (int i = 0; i < arrivals.size(); i++) {
                JobSpec job = arrivals.get(i);
                if (jobs.put(job.id(), job) != null) {
                    throw new IllegalArgumentException("duplicate job id " + job.id());
                }
                order.put(job.id(), i);
                Record record = new Record();
                record.remaining = job.work();
                records.put(job.id(), record);
            }
            this.pending = new TreeSet<>(Comparator.comparingInt(JobSpec::priority).reversed()
                    .thenComparingInt(job -> order.get(job.id())));
            // With one priority for all, nothing can be preempted, so a job needing more chips than
            // are free in the whole fleet cannot be placed: skipping the call changes no outcome.
            this.skipWithoutCapacity = arrivals.stream().mapToInt(JobSpec::priority).distinct().count() <= 1;
        }

        SimulationResult execute() {
            int next = 0;
            double nextRetry = Double.POSITIVE_INFINITY;
            // Once nothing arrives or runs any more, what still waits can never be placed.
            while (next < arrivals.size() || !completions.isEmpty()) {
                double nextArrival = next < arrivals.size() ? arrivals.get(next).arrivalSeconds() : Double.POSITIVE_INFINITY;
                double nextCompletion = completions.isEmpty() ? Double.POSITIVE_INFINITY : completions.peek().time();
                double now = Math.min(Math.min(nextArrival, nextCompletion), nextRetry);

                boolean freed = false;
                while (!completions.isEmpty() && completions.peek().time() <= now) {
                    freed |= complete(completions.poll(), now);
                }
                List<JobSpec> arrived = new ArrayList<>();
                while (next < arrivals.size() && arrivals.get(next).arrivalSeconds() <= now) {
                    JobSpec job = arrivals.get(next++);
                    pending.add(job);
                    arrived.add(job);
                }
                boolean retry = now >= nextRetry;
                if (freed || retry) {
                    walk(new ArrayList<>(pending), now);
                } else {
                    walk(arrived, now);
                }
                if (retryIntervalSeconds <= 0 || pending.isEmpty()) {
                    nextRetry = Double.POSITIVE_INFINITY;
                } else if (retry || nextRetry == Double.POSITIVE_INFINITY) {
                    nextRetry = now + retryIntervalSeconds;
                }
                sample(now);
            }
            List<JobOutcome> outcomes = new ArrayList<>(arrivals.size());
            for (JobSpec job : arrivals) {
                Record r = records.get(job.id());
                outcomes.add(new JobOutcome(job, r.start, r.end, r.preemptions, r.violations, r.failedStarts, r.first));
            }
            DecisionTimes times = policy.ownTimes() != null ? policy.ownTimes() : measured;
            return new SimulationResult(policy.name(), cluster.totalChips(), outcomes, toArray(sampleTimes),
                    toArray(sampleRatios), times.wallNanos(), times.cpuNanos());
        }

        private boolean complete(Completion completion, double now) {
            Running run = running.get(completion.jobId());
            if (run == null || run.version != completion.version()) {
                return false;
            }
            running.remove(completion.jobId());
            cluster.release(completion.jobId());
            policy.released(completion.jobId());
            Record record = records.get(completion.jobId());
            record.remaining = 0;
            record.end = now;
            progress.jobFinished();
            return true;
        }

        private void walk(List<JobSpec> candidates, double now) {
            boolean preempted = false;
            for (JobSpec job : candidates) {
                preempted |= tryPlace(job, now);
            }
            if (preempted) {
                // Preemption freed chips and re-queued jobs: give the queue one more pass.
                for (JobSpec job : new ArrayList<>(pending)) {
                    tryPlace(job, now);
                }
            }
        }

        /** @return whether the placement preempted anything */
        private boolean tryPlace(JobSpec job, double now) {
            if (!pending.contains(job)) {
                return false;
            }
            if (skipWithoutCapacity && cluster.totalChips() - cluster.allocatedChips() < job.minShards() * job.chipsPerShard()) {
                return false;
            }
            Optional<Placement> decision = policy.ownTimes() != null ? policy.place(job, cluster, now)
                    : measured.time(() -> policy.place(job, cluster, now));
            if (decision.isEmpty()) {
                return false;
            }
            Placement placement = decision.get();
            int chips = placement.chips();
            if (chips < job.minShards() * job.chipsPerShard() || chips > job.chips()) {
                throw new IllegalStateException(policy.name() + " gave job " + job.id() + " " + chips
                        + " chips; it needs " + job.minShards() * job.chipsPerShard() + ".." + job.chips());
            }
            for (String victim : placement.preempted()) {
                preempt(victim, now);
            }
            Record record = records.get(job.id());
            double rate = rateModel.workPerSecond(job, placement);
            if (Double.isNaN(rate) || rate < 0 || Double.isInfinite(rate)) {
                throw new IllegalStateException("no usable rate for job " + job.id() + " on " + placement);
            }
            if (rate == 0) {
                // The chips cannot run this job at all (say, too little memory): it fails on start,
                // gives them back and waits for the next change, as a crashed job would be retried.
                record.failedStarts++;
                policy.released(job.id());
                return !placement.preempted().isEmpty();
            }
            cluster.book(job.id(), placement);
            pending.remove(job);
            if (placement.shards().stream().anyMatch(shard -> !job.allows(shard.chip()))) {
                record.violations++;
            }
            if (record.first == null) {
                record.first = placement;
                record.start = now;
            }
            long version = ++versions;
            running.put(job.id(), new Running(placement, now, record.remaining, rate, version));
            double end = now + record.remaining / rate;
            if (Double.isFinite(end)) {
                completions.add(new Completion(end, job.id(), version));
            }
            return !placement.preempted().isEmpty();
        }

        private void preempt(String jobId, double now) {
            Running run = running.remove(jobId);
            if (run == null) {
                throw new IllegalStateException(policy.name() + " preempted " + jobId + ", which is not running");
            }
            cluster.release(jobId);
            policy.released(jobId);
            Record record = records.get(jobId);
            record.remaining = Math.max(0, run.remainingAtStart - (now - run.since) * run.rate);
            record.preemptions++;
            pending.add(jobs.get(jobId));
        }

        private void sample(double now) {
            int last = sampleTimes.size() - 1;
            if (last >= 0 && sampleTimes.get(last) == now) {
                sampleRatios.set(last, cluster.allocationRatio());
            } else {
                sampleTimes.add(now);
                sampleRatios.add(cluster.allocationRatio());
            }
        }

        private static double[] toArray(List<Double> values) {
            double[] out = new double[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
    }
}
