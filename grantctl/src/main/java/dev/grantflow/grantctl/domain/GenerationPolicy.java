package dev.grantflow.grantctl.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.JsonMappingFailure;
import java.util.OptionalLong;

/**
 * The generation of a new grant or revocation: one more than the highest generation any record of the key carries,
 * on the grants topic (Grant or GrantRevocation values) and on the status topic; 1 when there is none.
 */
public final class GenerationPolicy {

    private long highest;

    /** Notes a grants-topic value (Grant or GrantRevocation JSON); tombstones and unreadable values count as nothing. */
    public void seeGrantsValue(byte[] value) {
        generationOf(value).ifPresent(this::see);
    }

    /** Notes a generation (e.g. a status record's). */
    public void see(long generation) {
        highest = Math.max(highest, generation);
    }

    public long highest() {
        return highest;
    }

    public long next() {
        return highest + 1;
    }

    /** {@code metadata.generation} of a Grant or GrantRevocation value; empty for a tombstone or an unreadable value. */
    public static OptionalLong generationOf(byte[] value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            JsonNode generation = Json.readTree(value).path("metadata").path("generation");
            return generation.canConvertToLong() && generation.isIntegralNumber()
                    ? OptionalLong.of(generation.asLong()) : OptionalLong.empty();
        } catch (JsonMappingFailure e) {
            return OptionalLong.empty();
        }
    }
}
