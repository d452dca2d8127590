package dev.tessera.bench.gavel;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tessera.bench.sim.JobSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads a Gavel trace and turns its lines into placement requests. */
public final class GavelTrace {

    /** The largest job the throughput table measures; larger jobs are split into shards of at most this. */
    static final int MAX_SHARD = 8;

    private GavelTrace() {
    }

    public static List<GavelJobRow> read(Path file) throws IOException {
        CsvMapper mapper = new CsvMapper();
        // Commands hold quotes and spaces; the format has no quoting, only tabs between fields.
        CsvSchema schema = mapper.schemaFor(GavelJobRow.class).withColumnSeparator('\t').withoutQuoteChar();
        try (MappingIterator<GavelJobRow> rows = mapper.readerFor(GavelJobRow.class).with(schema).readValues(file.toFile())) {
            List<GavelJobRow> out = new ArrayList<>();
            while (rows.hasNextValue()) {
                GavelJobRow row = rows.nextValue();
                if (row.gpus() < 1 || row.totalSteps() < 1) {
                    throw new IOException(file + ": job " + out.size() + " has " + row.gpus() + " gpus and "
                            + row.totalSteps() + " steps");
                }
                out.add(row);
            }
            return out;
        }
    }

    /**
     * A trace job as a gang of equal data-parallel shards of one chip model: one shard of all its
     * chips up to 8, else shards of the largest of 8, 4, 2, 1 that divides its chip count (12 is
     * three shards of 4). Gavel's jobs are pure data parallelism, so a shard may span nodes.
     */
    public static List<JobSpec> toJobs(List<GavelJobRow> rows) {
        List<JobSpec> jobs = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            GavelJobRow row = rows.get(i);
            int perShard = row.gpus() <= MAX_SHARD ? row.gpus() : largestDivisor(row.gpus());
            int shards = row.gpus() / perShard;
            jobs.add(new JobSpec(String.format("gavel-%05d", i), row.arrivalSeconds(), 0, shards, shards, perShard, 1,
                    Set.of(), row.jobType(), row.totalSteps()));
        }
        return jobs;
    }

    private static int largestDivisor(int gpus) {
        for (int size = MAX_SHARD; size > 1; size /= 2) {
            if (gpus % size == 0) {
                return size;
            }
        }
        return 1;
    }
}
