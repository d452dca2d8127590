package dev.tessera.operator.ha;

import jakarta.inject.Singleton;

import io.quarkus.arc.Unremovable;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * With more than one operator replica only the holder of this Lease reconciles; the others wait to
 * take over. The Lease lives in the operator's own namespace. Active in the prod profile.
 */
@Singleton
@Unremovable
public class LeaderElection extends LeaderElectionConfiguration {
    public LeaderElection() {
        super("tessera-operator");
    }
}
