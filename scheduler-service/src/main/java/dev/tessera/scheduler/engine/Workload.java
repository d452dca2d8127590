package dev.tessera.scheduler.engine;

/**
 * What a job trains, as far as the performance model needs it.
 *
 * @param profile optional key into a measured throughput table, e.g. {@code "LM (batch size 20)"}
 * @param communication how much the job leans on chip-to-chip bandwidth
 * @param parametersBillions model size; 0 when unknown
 * @param totalSteps steps to completion; 0 when unknown
 */
public record Workload(String profile, Communication communication, double parametersBillions, long totalSteps) {
    public Workload {
        communication = communication == null ? Communication.MEDIUM : communication;
    }
}
