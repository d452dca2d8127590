package dev.tessera.inventory;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts an embedded PostgreSQL first when no datasource URL is configured, then the service. */
@QuarkusMain
public class InventoryMain {

    public static void main(String... args) throws Exception {
        EmbeddedDatabase.startUnlessConfigured();
        Quarkus.run(args);
    }
}
