package dev.grantflow.stack;

import dev.grantflow.model.event.Topics;
import dev.grantflow.model.grant.GrantMetadata;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.json.Json;
import dev.grantflow.trust.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Records for the grants topic as an administrator posts them in the production trust setting: signed. */
final class SignedRecords {

    /** A grants record signed with the stack administrator's key, into {@code partition} (null: the partitioner's). */
    static ProducerRecord<String, String> signed(StackKeys keys, Integer partition, String key, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GRANTS, partition, key, value);
        record.headers().add(Signatures.HEADER, keys.sign(value).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** A revocation of every generation up to {@code generation} of {@code key} ({@code <tenant>/<grant>}). */
    static String revocation(String key, long generation) {
        String[] parts = key.split("/", 2);
        return Json.write(GrantRevocation.of(new GrantMetadata(parts[0], parts[1], generation, Instant.now(),
                "admin@example.com")));
    }

    private SignedRecords() {
    }
}
