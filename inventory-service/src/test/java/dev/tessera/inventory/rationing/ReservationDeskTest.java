package dev.tessera.inventory.rationing;

import dev.tessera.inventory.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.inventory.Fixtures;
import dev.tessera.inventory.api.ApiException;
import dev.tessera.inventory.planning.SupplyReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two desks stand for two service instances: their in-process queues know nothing of each other,
 * so only the database row lock keeps them from overbooking.
 */
@QuarkusTest
class ReservationDeskTest {

    @Inject
    EntityManager em;

    @Inject
    SupplyReader supply;

    @Inject
    AuditTrail audit;

    @Test
    void twoInstancesSharingADatabaseNeverOverbook() throws Exception {
        String chip = Fixtures.chip(0.75);
        Fixtures.stock(Fixtures.site(), chip, 40, "IN_SERVICE");
        List<ReservationDesk> desks = List.of(desk(), desk());
        LocalDate today = LocalDate.now();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ReservationDesk desk = desks.get(i % 2);
            results.add(pool.submit(() -> {
                gate.await();
                try {
                    desk.reserve(new ReservationDesk.Request("research", chip, 1, today, today.plusDays(7), null));
                    return true;
                } catch (ApiException refused) {
                    assertThat(refused.status()).isEqualTo(409);
                    return false;
                }
            }));
        }
        gate.countDown();
        int accepted = 0;
        for (Future<Boolean> f : results) {
            accepted += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(accepted).isEqualTo(40);
        Number held = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                "select coalesce(sum(quantity), 0) from reservation where chip_id = ?1").setParameter(1, chip)
                .getSingleResult());
        assertThat(held.intValue()).isEqualTo(40);
    }

    private ReservationDesk desk() {
        ReservationDesk desk = new ReservationDesk();
        desk.em = em;
        desk.supply = supply;
        desk.audit = audit;
        return desk;
    }
}
