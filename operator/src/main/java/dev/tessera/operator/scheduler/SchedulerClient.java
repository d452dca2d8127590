package dev.tessera.operator.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.tessera.operator.scheduler.SchedulerDtos.ChipModel;
import dev.tessera.operator.scheduler.SchedulerDtos.LedgerSync;
import dev.tessera.operator.scheduler.SchedulerDtos.PlacementAnswer;
import dev.tessera.operator.scheduler.SchedulerDtos.PlacementRequest;
import dev.tessera.operator.scheduler.SchedulerDtos.PoolsSnapshot;
import dev.tessera.operator.scheduler.SchedulerDtos.Problem;
import dev.tessera.operator.scheduler.SchedulerDtos.ReplacementRequest;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Typed access to the scheduler: turns status codes into results and exceptions the reconciler acts on.
 */
@ApplicationScoped
public class SchedulerClient {
    private static final Logger LOG = Logger.getLogger(SchedulerClient.class);
    private final SchedulerApi api;
    private final MeterRegistry metrics;
    private final Duration catalogTtl;
    private volatile Catalog catalog;
    private volatile Instant catalogFetched = Instant.EPOCH;

    @Inject
    public SchedulerClient(@RestClient SchedulerApi api, MeterRegistry metrics,
            @ConfigProperty(name = "tessera.scheduler.catalog-ttl", defaultValue = "60s") Duration catalogTtl) {
        this.api = api;
        this.metrics = metrics;
        this.catalogTtl = catalogTtl;
    }

    public sealed interface PlacementResult permits Placed, Pending {
        PlacementAnswer answer();
    }

    public record Placed(PlacementAnswer answer) implements PlacementResult {
    }

    public record Pending(PlacementAnswer answer) implements PlacementResult {
    }

    public PlacementResult place(PlacementRequest request) {
        try (Response r = call("place", () -> api.place(request))) {
            return switch (r.getStatus()) {
                case 201, 200 -> new Placed(r.readEntity(PlacementAnswer.class));
                case 202 -> new Pending(r.readEntity(PlacementAnswer.class));
                default -> throw failure("place", r);
            };
        }
    }

    public PlacementAnswer replace(String jobId, ReplacementRequest request) {
        try (Response r = call("replace", () -> api.replace(jobId, request))) {
            if (r.getStatus() == 200 || r.getStatus() == 201) {
                return r.readEntity(PlacementAnswer.class);
            }
            throw failure("replace", r);
        }
    }

    public void release(String jobId) {
        try (Response r = call("release", () -> api.release(jobId))) {
            if (r.getStatus() != 204 && r.getStatus() != 200 && r.getStatus() != 404) {
                throw failure("release", r);
            }
        }
    }

    public void putPools(PoolsSnapshot snapshot) {
        try (Response r = call("pools", () -> api.putPools(snapshot))) {
            if (r.getStatus() / 100 != 2) {
                throw failure("pools", r);
            }
        }
    }

    /**
     * Sends the full sync; a scheduler synced already (by a sync sent just before this one) is fine as it is.
     *
     * @return whether the scheduler took this sync (false: it was synced already)
     */
    public boolean syncLedger(LedgerSync sync) {
        try (Response r = call("ledger-sync", () -> api.syncLedger(sync))) {
            if (r.getStatus() == 409) {
                r.bufferEntity(); // read here and, for another conflict, again in failure()
                Problem problem = readProblem(r);
                if (problem != null && problem.type() != null && problem.type().endsWith("/ledger-synced")) {
                    LOG.debug("the scheduler's ledger was synced already; this sync was not needed");
                    return false;
                }
            }
            if (r.getStatus() / 100 != 2) {
                throw failure("ledger-sync", r);
            }
            return true;
        }
    }

    /** The catalog, fetched at most once per TTL; throws when the scheduler was never reachable. */
    public Catalog catalog() {
        Catalog current = catalog;
        if (current != null && Instant.now().isBefore(catalogFetched.plus(catalogTtl))) {
            return current;
        }
        try (Response r = call("catalog", api::catalog)) {
            if (r.getStatus() != 200) {
                throw failure("catalog", r);
            }
            Catalog fresh = new Catalog(Arrays.asList(r.readEntity(ChipModel[].class)));
            catalog = fresh;
            catalogFetched = Instant.now();
            return fresh;
        } catch (SchedulerUnavailableException e) {
            if (current != null) {
                return current;
            }
            throw e;
        }
    }

    private Response call(String operation, java.util.function.Supplier<Response> call) {
        try {
            return call.get();
        } catch (ProcessingException | jakarta.ws.rs.WebApplicationException e) {
            metrics.counter("tessera.scheduler.call.errors", "operation", operation).increment();
            throw new SchedulerUnavailableException("scheduler unreachable: " + rootMessage(e), e);
        }
    }

    private RuntimeException failure(String operation, Response r) {
        metrics.counter("tessera.scheduler.call.errors", "operation", operation).increment();
        Problem problem = readProblem(r);
        String detail = problem != null && problem.detail() != null ? problem.detail()
                : problem != null && problem.title() != null ? problem.title() : "HTTP " + r.getStatus();
        if (r.getStatus() == 503 && problem != null && problem.type() != null
                && problem.type().endsWith("/ledger-unsynced")) {
            return new LedgerUnsyncedException(detail);
        }
        if (r.getStatus() == 401 || r.getStatus() == 403) {
            // the operator's own credentials, not the job's spec: nothing about the job changes, and the next pass
            // tries again (a rotated token is read from its file anew)
            return new SchedulerUnavailableException("the scheduler refused the operator's token (" + r.getStatus() + "): " + detail
                    + " (the token of TESSERA_TOKEN_FILE, the chart's auth.operator.tokenSecret)");
        }
        if (r.getStatus() >= 400 && r.getStatus() < 500 && r.getStatus() != 408 && r.getStatus() != 429) {
            return new PlacementRejectedException(r.getStatus(), detail);
        }
        return new SchedulerUnavailableException("scheduler answered " + r.getStatus() + ": " + detail);
    }

    private static Problem readProblem(Response r) {
        try {
            return r.hasEntity() ? r.readEntity(Problem.class) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
