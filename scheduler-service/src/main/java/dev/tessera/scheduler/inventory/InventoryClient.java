package dev.tessera.scheduler.inventory;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import dev.tessera.scheduler.auth.BearerTokenFilter;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The inventory service, at {@code quarkus.rest-client.inventory.url} ({@code TESSERA_INVENTORY_URL}). */
@RegisterRestClient(configKey = "inventory")
@RegisterProvider(BearerTokenFilter.class)
@Path("/api/v1")
public interface InventoryClient {

    @GET
    @Path("/availability")
    @Produces(MediaType.APPLICATION_JSON)
    Availability availability();
}
