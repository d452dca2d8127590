package dev.tessera.inventory.sample;

import dev.tessera.inventory.api.Clocks;
import dev.tessera.inventory.api.ApiException;
import dev.tessera.inventory.catalog.ChipModel;
import dev.tessera.inventory.catalog.Site;
import dev.tessera.inventory.orders.DeliveryBook;
import dev.tessera.inventory.orders.DeliveryState;
import dev.tessera.inventory.orders.OrderViews;
import dev.tessera.inventory.rationing.Quota;
import dev.tessera.inventory.rationing.Reservation;
import dev.tessera.inventory.stock.StockLedger;
import dev.tessera.inventory.stock.StockState;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The sample fleet, dated from today: hoarded A100 lots in two data centres and a warehouse split
 * by quota between teams, a large H800 fleet, A800s, an Ascend 910B pool, old V100s, and H800 and
 * Ascend orders arriving over the next twelve months, one of them delayed.
 */
@ApplicationScoped
public class SampleFleet {

    private static final Logger LOG = Logger.getLogger(SampleFleet.class);

    static final List<String> CHIPS = List.of("a100", "a800", "h100", "h800", "v100", "ascend-910b");
    static final List<String> SITES = List.of("bj-dc1", "sh-dc2", "gy-dc3", "tj-wh1");

    @Inject
    StockLedger ledger;

    @Inject
    DeliveryBook deliveries;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tessera.sample-data", defaultValue = "false")
    boolean loadAtStart;

    public record Summary(int chipModels, int sites, int movements, int purchaseOrders, int quotas, int reservations) {
    }

    void onStart(@Observes StartupEvent event) {
        if (loadAtStart && ChipModel.count() == 0) {
            Summary s = load();
            LOG.infof("sample fleet loaded: %s", s);
        }
    }

    /** Loads the sample fleet; refused (409) when any of its chip models or sites already exists. */
    @Transactional
    public Summary load() {
        if (ChipModel.count("id in ?1", CHIPS) > 0 || Site.count("id in ?1", SITES) > 0) {
            throw ApiException.conflict("sample-present", "chip models or sites of the sample fleet already exist");
        }
        LocalDate today = LocalDate.now(clock);
        chip("a100", "NVIDIA", "A100 SXM 80GB", 0.32);
        chip("a800", "NVIDIA", "A800 SXM 80GB (export variant, 400 GB/s NVLink)", 0.28);
        chip("h100", "NVIDIA", "H100 SXM 80GB", 1.0);
        chip("h800", "NVIDIA", "H800 SXM (export variant, 400 GB/s NVLink)", 0.75);
        chip("v100", "NVIDIA", "V100 SXM2 32GB", 0.12);
        chip("ascend-910b", "Huawei", "Ascend 910B", 0.30);
        site("bj-dc1", "Beijing DC 1", Site.Kind.DATACENTER);
        site("sh-dc2", "Shanghai DC 2", Site.Kind.DATACENTER);
        site("gy-dc3", "Guiyang DC 3", Site.Kind.DATACENTER);
        site("tj-wh1", "Tianjin bonded warehouse", Site.Kind.WAREHOUSE);

        int movements = 0;
        // Hoarded A100 lots bought before the export rules tightened.
        movements += opening("bj-dc1", "a100", 1024, StockState.IN_SERVICE);
        movements += opening("bj-dc1", "a100", 256, StockState.WAREHOUSE);
        movements += opening("sh-dc2", "a100", 512, StockState.IN_SERVICE);
        movements += opening("tj-wh1", "a100", 384, StockState.WAREHOUSE);
        ledger.record("bj-dc1", "a100", 24, StockState.IN_SERVICE, StockState.FAILED, "HBM errors found in burn-in", null);
        movements++;
        movements += opening("bj-dc1", "h800", 2048, StockState.IN_SERVICE);
        movements += opening("sh-dc2", "h800", 1536, StockState.IN_SERVICE);
        movements += opening("sh-dc2", "h800", 128, StockState.WAREHOUSE);
        movements += opening("sh-dc2", "a800", 768, StockState.IN_SERVICE);
        movements += opening("gy-dc3", "ascend-910b", 1024, StockState.IN_SERVICE);
        ledger.record("gy-dc3", "ascend-910b", 40, StockState.IN_SERVICE, StockState.FAILED, "card faults in long runs", null);
        movements++;
        movements += opening("bj-dc1", "v100", 512, StockState.IN_SERVICE);
        ledger.record("bj-dc1", "v100", 128, StockState.IN_SERVICE, StockState.RETIRED, "end of life", null);
        movements++;

        order("Inspur", "PO-H800-2026-01", "h800", 1024, "24500.00",
                List.of(delivery("h800", 256, today.plusDays(45), "bj-dc1"),
                        delivery("h800", 256, today.plusDays(120), "bj-dc1"),
                        delivery("h800", 512, today.plusDays(240), "sh-dc2")));
        long delayed = order("Sugon", "PO-H800-2026-02", "h800", 512, "25800.00",
                List.of(delivery("h800", 512, today.plusDays(160), "sh-dc2"))).deliveries().get(0).id();
        order("Huawei", "PO-910B-2026-01", "ascend-910b", 2048, "12000.00",
                List.of(delivery("ascend-910b", 512, today.plusDays(30), "gy-dc3"),
                        delivery("ascend-910b", 512, today.plusDays(150), "gy-dc3"),
                        delivery("ascend-910b", 1024, today.plusDays(330), "gy-dc3")));
        order("Inspur", "PO-A800-2026-01", "a800", 256, "16800.00",
                List.of(delivery("a800", 256, today.plusDays(75), "sh-dc2")));
        deliveries.change(delayed, new OrderViews.DeliveryPatch(today.plusDays(250), DeliveryState.DELAYED,
                "export licence review at the supplier; new date from the reseller"));

        int quotas = 0;
        quotas += quota("llm-core", "a100", 1408, null, null);
        quotas += quota("vision", "a100", 384, null, null);
        quotas += quota("research", "a100", 256, null, null);
        quotas += quota("default", "a100", 64, null, null);
        quotas += quota("llm-core", "h800", 3072, null, null);
        quotas += quota("research", "h800", 384, null, today.plusDays(240));
        quotas += quota("research", "h800", 896, today.plusDays(240), null);
        quotas += quota("default", "h800", 128, null, null);
        quotas += quota("vision", "a800", 512, null, null);
        quotas += quota("default", "a800", 256, null, null);
        quotas += quota("llm-core", "ascend-910b", 768, null, null);
        quotas += quota("research", "ascend-910b", 216, null, null);
        quotas += quota("vision", "v100", 192, null, null);
        quotas += quota("research", "v100", 96, null, null);
        quotas += quota("default", "v100", 96, null, null);

        int reservations = 0;
        reservations += reserve("llm-core", "h800", 2048, today, today.plusDays(90), "ernie-pretrain");
        reservations += reserve("vision", "a100", 256, today.plusDays(7), today.plusDays(60), null);
        reservations += reserve("research", "ascend-910b", 512, today.plusDays(35), today.plusDays(180), null);
        return new Summary(6, 4, movements, 4, quotas, reservations);
    }

    private static void chip(String id, String vendor, String name, double h100Equivalent) {
        ChipModel c = new ChipModel();
        c.id = id;
        c.vendor = vendor;
        c.name = name;
        c.h100Equivalent = h100Equivalent;
        c.createdAt = Clocks.now();
        c.persist();
    }

    private static void site(String id, String name, Site.Kind kind) {
        Site s = new Site();
        s.id = id;
        s.name = name;
        s.kind = kind;
        s.createdAt = Clocks.now();
        s.persist();
    }

    private int opening(String site, String chip, int quantity, StockState state) {
        ledger.record(site, chip, quantity, null, state, "opening balance from the asset register", null);
        return 1;
    }

    private OrderViews.PurchaseOrderView order(String supplier, String reference, String chip, int quantity,
                                               String unitPrice, List<OrderViews.DeliveryRequest> plan) {
        return deliveries.create(new OrderViews.PurchaseOrderRequest(supplier, reference,
                List.of(new OrderViews.LineRequest(chip, quantity, new BigDecimal(unitPrice), "USD")), plan));
    }

    private static OrderViews.DeliveryRequest delivery(String chip, int quantity, LocalDate date, String site) {
        return new OrderViews.DeliveryRequest(chip, quantity, date, site);
    }

    private static int quota(String team, String chip, int quantity, LocalDate from, LocalDate to) {
        Quota q = new Quota();
        q.team = team;
        q.chipId = chip;
        q.quantity = quantity;
        q.validFrom = from;
        q.validTo = to;
        q.createdAt = Clocks.now();
        q.persist();
        return 1;
    }

    private static int reserve(String team, String chip, int quantity, LocalDate from, LocalDate to, String jobId) {
        Reservation r = new Reservation();
        r.team = team;
        r.chipId = chip;
        r.quantity = quantity;
        r.starts = from;
        r.ends = to;
        r.jobId = jobId;
        r.createdAt = Clocks.now();
        r.persist();
        return 1;
    }
}
