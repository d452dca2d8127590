package dev.tessera.inventory.security;

/** The roles of the shared security contract, read from the token's {@code groups} claim. */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String PLANNER = "planner";
    public static final String ADMIN = "admin";
    /** The scheduler's own identity: it reads availability and chip models. */
    public static final String SCHEDULER = "scheduler";
    public static final String OPERATOR = "operator";

    private Roles() {
    }
}
