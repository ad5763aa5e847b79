package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.grantflow.model.poddefault.PodDefault;
import java.io.IOException;

/**
 * Reads PodDefault JSON with plain Jackson. fabric8's {@code KubernetesResource} carries a polymorphic
 * deserializer that picks the class from apiVersion/kind and, for kinds it does not know, produces a
 * {@code GenericKubernetesResource}; the mix-in below binds PodDefault JSON to {@link PodDefault} directly
 * (what the fabric8-generated model classes do with {@code @JsonDeserialize(using = None.class)}).
 */
public final class PodDefaultJson {

    @JsonDeserialize(using = JsonDeserializer.None.class)
    private abstract static class BindDirectly {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .addMixIn(PodDefault.class, BindDirectly.class)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private PodDefaultJson() {
    }

    public static PodDefault read(JsonNode node) throws IOException {
        try {
            return MAPPER.treeToValue(node, PodDefault.class);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    public static PodDefault read(byte[] json) throws IOException {
        return MAPPER.readValue(json, PodDefault.class);
    }
}
