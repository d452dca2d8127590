package dev.tessera.bench.sim;

/** Told whenever a job finishes, so a long run can show how far it got. */
@FunctionalInterface
public interface Progress {

    void jobFinished();

    Progress NONE = () -> { };
}
