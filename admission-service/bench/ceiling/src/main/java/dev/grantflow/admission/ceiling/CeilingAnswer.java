package dev.grantflow.admission.ceiling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ceiling's whole work per review, the same behind both of its endpoints: parse the body into a Jackson tree, read
 * the envelope (apiVersion, kind, request.uid) and build an AdmissionReview as a Jackson tree: allowed, with a
 * constant JSON Patch. No PodDefault lookup, no merge, no metrics, no logging.
 */
@Singleton
public class CeilingAnswer {

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "grantflow.ceiling.patch")
    Optional<String> patch;

    /** The answer to a review, or null for a body that is not one (a 400). */
    ObjectNode answer(byte[] body) {
        return answer(body, 0, body.length);
    }

    /** The answer to the review in {@code length} bytes of {@code body} from {@code offset}, or null as above. */
    ObjectNode answer(byte[] body, int offset, int length) {
        JsonNode review;
        try {
            review = json.readTree(body, offset, length);
        } catch (IOException e) {
            return null;
        }
        JsonNode request = review == null ? null : review.get("request");
        JsonNode uid = request == null ? null : request.get("uid");
        if (uid == null || !uid.isTextual()) {
            return null;
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
        return answer;
    }
}
