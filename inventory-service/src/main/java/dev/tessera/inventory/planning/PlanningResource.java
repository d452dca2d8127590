package dev.tessera.inventory.planning;

import dev.tessera.inventory.api.PlausibleDate;
import dev.tessera.inventory.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tessera.inventory.api.ApiException;
import dev.tessera.inventory.api.LenientDate;
import dev.tessera.rest.Problem;
import dev.tessera.inventory.api.ProblemMapper;
import dev.tessera.inventory.catalog.ChipModel;
import dev.tessera.inventory.orders.Delivery;
import dev.tessera.inventory.rationing.Quota;
import dev.tessera.inventory.rationing.RationingResource.QuotaView;
import io.quarkus.panache.common.Sort;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.RestQuery;

/** Forecast, runway and the availability summary the scheduler reads. */
@Path("/api/v1")
public class PlanningResource {

    static final int MAX_POINTS = 3700;
    private static final LocalDate END_OF_TIME = LocalDate.of(9999, 12, 31);
    private static final CsvMapper CSV = CsvMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    @Inject
    SupplyReader supply;

    @Inject
    Clock clock;

    @Inject
    Validator validator;

    public enum Step {
        DAY, WEEK, MONTH;

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code onHand}: stock on hand (in service or in a warehouse) plus deliveries scheduled by then,
     * not cancelled; {@code arriving}: units scheduled since the previous point (for the first point:
     * all still owed by then); {@code free} = onHand - reserved (negative when a slipped delivery
     * leaves reservations uncovered).
     */
    @JsonPropertyOrder({"date", "onHand", "arriving", "reserved", "free", "freeH100Equivalent"})
    public record ForecastPoint(LocalDate date, long onHand, long arriving, long reserved, long free,
                                double freeH100Equivalent) {
    }

    public record Forecast(String chip, double h100Equivalent, LocalDate from, LocalDate to, Step step,
                           List<ForecastPoint> points) {
    }

    /** Without {@code chip}, demand is in H100-equivalents and supply is the whole fleet's. */
    public record RunwayRequest(@Size(max = 64) String chip, @NotEmpty @Size(max = 10000) List<@Valid @NotNull DemandStep> demand) {
    }

    public record DemandStep(@NotNull @PlausibleDate @JsonDeserialize(using = LenientDate.class) LocalDate from,
                             @NotNull @PositiveOrZero @DecimalMax("1e18") Double chips) {
    }

    public record RunwayView(String chip, String unit, boolean covered, LocalDate coveredUntil,
                             List<ShortfallView> shortfalls, LocalDate horizon) {
    }

    /** {@code missing} is a whole number of chips when it is whole (always, for one chip model). */
    public record ShortfallView(LocalDate date, Number missing) {
        static ShortfallView of(Runway.Shortfall s) {
            double rounded = Math.rint(s.missing());
            return new ShortfallView(s.date(), Math.abs(s.missing() - rounded) < 1e-9 ? (Number) (long) rounded
                    : (Number) (Math.round(s.missing() * 100) / 100.0));
        }
    }

    public record Availability(Instant generatedAt, List<QuotaView> quotas, List<DeliveryEntry> deliveries,
                               List<ChipEntry> chipModels) {
    }

    public record DeliveryEntry(long id, String chip, int quantity, int remaining, LocalDate scheduledDate,
                                String state, String site) {
    }

    public record ChipEntry(String id, double h100Equivalent) {
    }

    @GET
    @Path("/forecast")
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public Forecast forecast(@RestQuery String chip, @RestQuery String from, @RestQuery String to,
                             @RestQuery String step) {
        if (chip == null || chip.isBlank()) {
            throw ApiException.invalid("chip", "must not be blank");
        }
        ChipModel model = ChipModel.require(chip);
        LocalDate start = date("from", from, LocalDate.now(clock));
        LocalDate end = date("to", to, start.plusYears(1));
        Step unit = step(step);
        if (end.isBefore(start)) {
            throw ApiException.invalid("to", "must not be before from");
        }
        List<LocalDate> dates = new ArrayList<>();
        for (LocalDate d = start; !d.isAfter(end); d = advance(start, unit, dates.size())) {
            if (dates.size() == MAX_POINTS) {
                throw ApiException.invalid("to", "more than " + MAX_POINTS + " points; use a longer step");
            }
            dates.add(d);
        }
        SupplyTimeline t = supply.load(chip, start, end);
        List<ForecastPoint> points = new ArrayList<>(dates.size());
        LocalDate previous = null;
        for (LocalDate d : dates) {
            long onHand = t.onHand(d);
            long reserved = t.reserved(d);
            long free = onHand - reserved;
            points.add(new ForecastPoint(d, onHand, t.arriving(previous, d), reserved, free,
                    Math.round(free * model.h100Equivalent * 100) / 100.0));
            previous = d;
        }
        return new Forecast(chip, model.h100Equivalent, start, end, unit, points);
    }

    @GET
    @Path("/forecast")
    @Produces("text/csv")
    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public Response forecastCsv(@RestQuery String chip, @RestQuery String from, @RestQuery String to,
                                @RestQuery String step) throws JsonProcessingException {
        Forecast f = forecast(chip, from, to, step);
        CsvSchema schema = CSV.schemaFor(ForecastPoint.class).withHeader();
        String body = CSV.writer(schema).writeValueAsString(f.points());
        return Response.ok(body, "text/csv")
                .header("Content-Disposition", "attachment; filename=\"forecast-" + f.chip() + ".csv\"").build();
    }

    @POST
    @Path("/runway")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public RunwayView runway(@Valid @NotNull RunwayRequest body) {
        return answer(body);
    }

    /**
     * The runway with the demand plan in the query: {@code ?chip=a100&demand=2027-01-01:64&demand=2027-06-01:128},
     * each step {@code <from>:<chips>}, several also comma-separated in one parameter. The same rules,
     * field names ({@code demand[1].from}) and answer as {@code POST /runway}, except that an unknown chip model is
     * a 404 here, as in every query string, where the body's is a 400. A request that is invalid besides is a 400
     * first.
     */
    @GET
    @Path("/runway")
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public RunwayView runwayByQuery(@RestQuery String chip, @RestQuery List<String> demand) {
        List<Problem.FieldError> errors = new ArrayList<>();
        List<DemandStep> steps = new ArrayList<>();
        for (String parameter : demand == null ? List.<String>of() : demand) {
            for (String item : parameter.split(",", -1)) {
                steps.add(demandStep("demand[" + steps.size() + "]", item.trim(), errors));
            }
        }
        RunwayRequest body = new RunwayRequest(chip, steps);
        // Steps that could not be read are already reported; their null halves need no second message.
        for (ConstraintViolation<RunwayRequest> v : validator.validate(body)) {
            String field = ProblemMapper.fieldOf(v);
            if (errors.stream().noneMatch(e -> e.field().equals(field) || field.startsWith(e.field() + "."))) {
                errors.add(new Problem.FieldError(field, v.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(Problem.FieldError::field));
            throw ApiException.invalid(errors);
        }
        if (chip != null && !chip.isBlank()) {
            // a chip model named in the query, as for /forecast, /stock and the other reads: 404, not the body's 400
            ChipModel.require(chip);
        }
        return answer(body);
    }

    /** One {@code <from>:<chips>} step of a query; an unreadable half is reported and left null. */
    private static DemandStep demandStep(String field, String item, List<Problem.FieldError> errors) {
        int colon = item.lastIndexOf(':');
        if (colon < 0) {
            errors.add(new Problem.FieldError(field, "'" + item + "' is not a step <from>:<chips> such as 2027-01-01:64"));
            return new DemandStep(null, null);
        }
        String fromText = item.substring(0, colon).trim();
        String chipsText = item.substring(colon + 1).trim();
        LocalDate from = null;
        try {
            from = LenientDate.parse(fromText);
        } catch (DateTimeException e) {
            errors.add(new Problem.FieldError(field + ".from", LenientDate.notADateInQuery(fromText)));
        }
        Double chips = null;
        try {
            // BigDecimal reads plain numbers only: no NaN, Infinity or hexadecimal.
            chips = new BigDecimal(chipsText).doubleValue();
        } catch (NumberFormatException e) {
            errors.add(new Problem.FieldError(field + ".chips", "'" + chipsText + "' is not a number"));
        }
        return new DemandStep(from, chips);
    }

    private RunwayView answer(RunwayRequest body) {
        LocalDate today = LocalDate.now(clock);
        Runway.Supply s;
        String unit;
        if (body.chip() != null && !body.chip().isBlank()) {
            ChipModel.requireIn("chip", body.chip());
            SupplyTimeline t = supply.load(body.chip(), today, END_OF_TIME);
            s = new Runway.Supply() {
                public double at(LocalDate date) {
                    return t.free(date);
                }

                public NavigableSet<LocalDate> changes() {
                    return t.changes();
                }
            };
            unit = "chips";
        } else {
            List<ChipModel> models = ChipModel.listAll();
            List<SupplyTimeline> timelines = models.stream().map(m -> supply.load(m.id, today, END_OF_TIME)).toList();
            s = new Runway.Supply() {
                public double at(LocalDate date) {
                    double sum = 0;
                    for (int i = 0; i < models.size(); i++) {
                        sum += timelines.get(i).free(date) * models.get(i).h100Equivalent;
                    }
                    return sum;
                }

                public NavigableSet<LocalDate> changes() {
                    TreeSet<LocalDate> all = new TreeSet<>();
                    timelines.forEach(t -> all.addAll(t.changes()));
                    return all;
                }
            };
            unit = "h100Equivalent";
        }
        List<Runway.Step> demand = body.demand().stream().map(d -> new Runway.Step(d.from(), d.chips())).toList();
        Runway.Result r = Runway.compute(s, demand, today);
        return new RunwayView(body.chip(), unit, r.coveredUntil() == null, r.coveredUntil(),
                r.shortfalls().stream().map(ShortfallView::of).toList(), r.horizon());
    }

    /** Quotas in force now or later, deliveries still to come, and chip weights (see docs/api.md). */
    @GET
    @Path("/availability")
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({Roles.VIEWER, Roles.SCHEDULER})
    public Availability availability() {
        LocalDate today = LocalDate.now(clock);
        List<QuotaView> quotas = Quota.<Quota>list("validTo is null or validTo > ?1",
                Sort.by("team").and("chipId").and("validFrom"), today).stream().map(QuotaView::of).toList();
        List<DeliveryEntry> deliveries = Delivery.<Delivery>list("state not in ?1",
                        Sort.by("scheduledDate").and("id"),
                        List.of(dev.tessera.inventory.orders.DeliveryState.RECEIVED,
                                dev.tessera.inventory.orders.DeliveryState.CANCELLED)).stream()
                .map(d -> new DeliveryEntry(d.id, d.chipId, d.quantity, d.remaining(), d.scheduledDate,
                        d.state.name(), d.siteId)).toList();
        List<ChipEntry> chips = ChipModel.<ChipModel>listAll(Sort.by("id")).stream()
                .map(c -> new ChipEntry(c.id, c.h100Equivalent)).toList();
        return new Availability(Instant.now(clock), quotas, deliveries, chips);
    }

    /**
     * A date of the query: written as in bodies (a date, or a timestamp taken as its UTC date, by the same parser) and
     * in the same 1970-2200 range, so no date arithmetic on it can fail.
     */
    private static LocalDate date(String field, String text, LocalDate fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        LocalDate date;
        try {
            date = LenientDate.parse(text);
        } catch (DateTimeException e) {
            throw ApiException.invalid(field, LenientDate.notADateInQuery(text));
        }
        if (!PlausibleDate.Check.plausible(date)) {
            throw ApiException.invalid(field, PlausibleDate.MESSAGE);
        }
        return date;
    }

    private static Step step(String text) {
        if (text == null || text.isBlank()) {
            return Step.WEEK;
        }
        try {
            return Step.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("step", "'" + text + "' is not one of day, week, month");
        }
    }

    /** The n-th point counted from the start, so monthly points do not drift after a short month. */
    private static LocalDate advance(LocalDate start, Step step, int n) {
        return switch (step) {
            case DAY -> start.plusDays(n);
            case WEEK -> start.plusWeeks(n);
            case MONTH -> start.plusMonths(n);
        };
    }
}
