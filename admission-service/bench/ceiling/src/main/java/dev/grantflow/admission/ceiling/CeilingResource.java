package dev.grantflow.admission.ceiling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ceiling: what any webhook on this stack pays per review and nothing more. Like admission-service's
 * {@code AdmissionResource} it takes the body as bytes on the event loop, parses it into a Jackson tree and reads
 * the envelope (apiVersion, kind, request.uid), then answers an AdmissionReview built as a Jackson tree: allowed,
 * with a constant JSON Patch. No PodDefault lookup, no merge, no diff, no metrics, no logging.
 */
@Path("/")
public class CeilingResource {

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "grantflow.ceiling.patch")
    Optional<String> patch;

    @POST
    @Path("apply-poddefault")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Response applyPodDefault(byte[] body) {
        JsonNode review;
        try {
            review = json.readTree(body);
        } catch (IOException e) {
            return Response.status(Response.Status.BAD_REQUEST).build();
        }
        JsonNode request = review == null ? null : review.get("request");
        JsonNode uid = request == null ? null : request.get("uid");
        if (uid == null || !uid.isTextual()) {
            return Response.status(Response.Status.BAD_REQUEST).build();
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("apiVersion", review.path("apiVersion").asText(""));
        answer.put("kind", review.path("kind").asText(""));
        ObjectNode response = answer.putObject("response");
        response.put("uid", uid.textValue());
        response.put("allowed", true);
        if (patch.isPresent() && !patch.get().isEmpty()) {
            response.put("patchType", "JSONPatch");
            response.put("patch", patch.get());
        }
        return Response.ok(answer).build();
    }
}
