package dev.tessera.scheduler.api;

/** The roles in a token's {@code groups} claim (docs/security.md); planner and admin inherit viewer's reads. */
public final class Roles {
    public static final String VIEWER = "viewer";
    public static final String PLANNER = "planner";
    public static final String ADMIN = "admin";
    /** The operator's own identity: the only caller that places, releases and re-tells the ledger. */
    public static final String OPERATOR = "operator";
    public static final String SCHEDULER = "scheduler";

    private Roles() {
    }
}
