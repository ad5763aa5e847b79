package dev.grantflow.admission.ceiling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The ceiling as a JAX-RS resource: what a webhook written the usual way on this stack pays per review and nothing
 * more. It takes the body as bytes on the event loop and answers the {@link CeilingAnswer}'s tree through the REST
 * layer's Jackson writer. (admission-service itself serves its webhooks as plain Vert.x routes since run 15; the
 * ceiling that does the same is {@link CeilingRoutes}.)
 */
@Path("/")
public class CeilingResource {

    @Inject
    CeilingAnswer ceiling;

    @POST
    @Path("apply-poddefault")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Response applyPodDefault(byte[] body) {
        ObjectNode answer = ceiling.answer(body);
        return answer == null ? Response.status(Response.Status.BAD_REQUEST).build() : Response.ok(answer).build();
    }
}
