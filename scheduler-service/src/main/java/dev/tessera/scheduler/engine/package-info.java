/**
 * The placement engine: plain Java, no framework, no clock or randomness it is not given.
 *
 * <p>How to drive it (the scheduler service does exactly this, and so can a trace-driven benchmark
 * running in simulated time):
 *
 * <pre>{@code
 * ChipCatalog catalog = new ChipCatalog(DefaultChips.all());
 * ThroughputModel model = new PerformanceModel(catalog, ThroughputTable.empty());
 * PlacementEngine engine = new PlacementEngine(model, simulatedClock);
 *
 * ClusterSnapshot fleet = ClusterSnapshot.builder()
 *         .pool("h800-a", "h800", 100, 8)              // 100 nodes of 8 chips, named h800-a-0..99
 *         .pool(new Pool("asc-a", "ascend-910b", nodes))
 *         .quota("llm-core", "h800", 512)              // team quotas per chip model (optional)
 *         .delivery(new Delivery("h800", 512, LocalDate.parse("2027-02-15"), 8))  // chips on order
 *         .build();
 *
 * PlacementRequest job = new PlacementRequest("job-1", "llm-core", 100, 16, 8, 32, 8,
 *         List.of("h800", "ascend-910b"), List.of("h800"), Mixing.ALLOWED,
 *         new Workload(null, Communication.HIGH, 70, 250_000));
 *
 * Decision d = engine.place(fleet, job);              // never changes fleet
 * if (d instanceof Decision.Placed placed) {
 *     fleet = fleet.withPlacement(placed.placement(), placed.preempted());  // book it, release victims
 * } else if (d instanceof Decision.Pending pending) {
 *     // pending.reasons(), pending.earliestStart()
 * }
 * fleet = fleet.without("job-1");                     // release when the job ends
 * }</pre>
 *
 * <p>Snapshots are immutable and cheap to derive, so a caller may keep old ones (e.g. to undo). The
 * engine books nothing itself: callers serialise place-then-apply (the service holds one lock).
 * Throughputs come from a {@link dev.tessera.scheduler.engine.ThroughputModel}; the engine only adds
 * them up, so any model (measured, analytic, a test's fixed table) can be plugged in.
 */
package dev.tessera.scheduler.engine;
