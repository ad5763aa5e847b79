package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import java.io.IOException;

/** Reads PodDefault JSON (an AdmissionReview's object, a fixture) with the model's canonical mapper. */
public final class PodDefaultJson {

    private PodDefaultJson() {
    }

    public static PodDefault read(JsonNode node) throws IOException {
        try {
            return Json.mapper().treeToValue(node, PodDefault.class);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
