package dev.tessera.bench.gavel;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One line of a Gavel arrival trace (tab-separated, no header). */
@JsonPropertyOrder({"jobType", "command", "numStepsArg", "needsDataDir", "totalSteps", "arrivalSeconds", "gpus"})
public record GavelJobRow(String jobType, String command, String numStepsArg, int needsDataDir, long totalSteps,
                          double arrivalSeconds, int gpus) {
}
