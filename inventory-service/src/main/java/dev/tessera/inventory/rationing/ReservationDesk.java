package dev.tessera.inventory.rationing;

import dev.tessera.inventory.api.Clocks;
import dev.tessera.inventory.audit.AuditTrail;
import dev.tessera.inventory.api.ApiException;
import dev.tessera.inventory.api.ProblemMapper;
import dev.tessera.inventory.planning.SupplyReader;
import dev.tessera.inventory.planning.SupplyTimeline;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Books reservations of one chip model in groups: requests that arrive while a transaction runs
 * are decided together in the next one. Each transaction takes the chip model's row lock (so
 * instances and other writers are serialised by the database), reads the supply once, decides the
 * requests in arrival order against it, writes the accepted ones and commits once. Refused
 * requests write nothing. One commit per group instead of per request is what lets 64 clients
 * share one chip model without queueing on the row lock.
 */
@ApplicationScoped
public class ReservationDesk {

    private static final int MAX_GROUP = 256;

    @Inject
    EntityManager em;

    @Inject
    SupplyReader supply;

    @Inject
    AuditTrail audit;

    public record Request(String team, String chip, int quantity, LocalDate from, LocalDate to, String jobId) {
    }

    private record Pending(Request request, String subject, CompletableFuture<Reservation> result) {
    }

    private static final class Lane {
        final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
        final ReentrantLock lock = new ReentrantLock();
    }

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    /** The stored reservation, or an {@link ApiException} 409 when it would overbook. */
    public Reservation reserve(Request request) {
        return reserve(request, "system");
    }

    /** As {@link #reserve(Request)}, recording {@code subject} in the audit trail with the reservation. */
    public Reservation reserve(Request request, String subject) {
        Lane lane = lanes.computeIfAbsent(request.chip(), c -> new Lane());
        Pending mine = new Pending(request, subject, new CompletableFuture<>());
        lane.queue.add(mine);
        while (!mine.result().isDone()) {
            lane.lock.lock();
            try {
                if (!mine.result().isDone()) {
                    decide(request.chip(), drain(lane.queue));
                }
            } finally {
                lane.lock.unlock();
            }
        }
        try {
            return mine.result().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static List<Pending> drain(Queue<Pending> queue) {
        List<Pending> group = new ArrayList<>();
        Pending p;
        while (group.size() < MAX_GROUP && (p = queue.poll()) != null) {
            group.add(p);
        }
        return group;
    }

    private void decide(String chip, List<Pending> group) {
        if (group.isEmpty()) {
            return;
        }
        List<Runnable> outcomes = new ArrayList<>();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                outcomes.clear();
                if (em.createNativeQuery("select id from chip_model where id = ?1 for no key update")
                        .setParameter(1, chip).getResultList().isEmpty()) {
                    throw ApiException.invalid("chip", "unknown chip model '" + chip + "'");
                }
                LocalDate from = group.stream().map(p -> p.request().from()).min(LocalDate::compareTo).orElseThrow();
                LocalDate until = group.stream().map(p -> p.request().to()).max(LocalDate::compareTo).orElseThrow()
                        .minusDays(1);
                SupplyTimeline timeline = supply.load(chip, from, until);
                Instant now = Clocks.now();
                for (Pending p : group) {
                    Request r = p.request();
                    var overbooking = timeline.overbooking(r.from(), r.to(), r.quantity());
                    if (overbooking.isPresent()) {
                        var o = overbooking.get();
                        ApiException refused = ApiException.conflict("overbooked", "on " + o.date() + " the fleet holds "
                                + o.onHand() + " " + chip + " of which " + o.reserved() + " are reserved; "
                                + r.quantity() + " more would overbook");
                        outcomes.add(() -> p.result().completeExceptionally(refused));
                        continue;
                    }
                    timeline.hold(new SupplyTimeline.Hold(r.from(), r.to(), r.quantity()));
                    Reservation stored = new Reservation();
                    stored.team = r.team();
                    stored.chipId = chip;
                    stored.quantity = r.quantity();
                    stored.starts = r.from();
                    stored.ends = r.to();
                    stored.jobId = r.jobId();
                    stored.createdAt = now;
                    stored.persist();
                    audit.record(p.subject(), "reservation.create", String.valueOf(stored.id));
                    outcomes.add(() -> p.result().complete(stored));
                }
            });
        } catch (RuntimeException e) {
            if (e instanceof ApiException a && a.status() == 400) {
                lanes.remove(chip);
            } else if (group.size() > 1 && !ProblemMapper.databaseUnavailable(e)) {
                // One request the database refused (a value it cannot store, say) must not fail the others decided
                // with it: each is decided again on its own, and only the one at fault hears of the failure.
                group.forEach(p -> decide(chip, List.of(p)));
                return;
            }
            group.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        // Answers go out only after the commit, so no client hears of a reservation that was lost.
        outcomes.forEach(Runnable::run);
    }
}
