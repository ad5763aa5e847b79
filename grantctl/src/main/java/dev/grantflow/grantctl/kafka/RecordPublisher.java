package dev.grantflow.grantctl.kafka;

import dev.grantflow.model.event.CloudEventTypes;
import dev.grantflow.trust.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces one signed record to the grants topic (acks=all, idempotent) and waits for the broker's acknowledgement.
 * Headers: the detached signature ({@value Signatures#HEADER}) and CloudEvents 1.0 binary-mode attributes.
 */
public final class RecordPublisher {

    /** CloudEvents {@code ce_source} of records grantctl produces. */
    public static final String SOURCE = "grantflow/grantctl";
    /** CloudEvents {@code ce_type} of a revocation (grants use {@link CloudEventTypes#GRANT}). */
    public static final String REVOCATION_TYPE = "dev.grantflow.grant-revocation.v1";

    private final KafkaClients clients;

    public RecordPublisher(KafkaClients clients) {
        this.clients = clients;
    }

    /** Produces {@code value} under {@code key}; the signature covers exactly {@code value}. */
    public Posted publish(String topic, String key, byte[] value, String signature, String ceType) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Signatures.HEADER, signature.getBytes(StandardCharsets.US_ASCII));
        headers.add(CloudEventTypes.HEADER_SPECVERSION, bytes("1.0"));
        headers.add(CloudEventTypes.HEADER_ID, bytes(UUID.randomUUID().toString()));
        headers.add(CloudEventTypes.HEADER_SOURCE, bytes(SOURCE));
        headers.add(CloudEventTypes.HEADER_TYPE, bytes(ceType));
        headers.add(CloudEventTypes.HEADER_TIME, bytes(Instant.now().toString()));
        headers.add(CloudEventTypes.HEADER_CONTENT_TYPE, bytes("application/json"));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, key, value, headers);
        long waitMs = clients.settings().connectTimeout().toMillis() * 3;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer(), new StringSerializer(),
                new ByteArraySerializer())) {
            RecordMetadata metadata = producer.send(record).get(waitMs, TimeUnit.MILLISECONDS);
            return new Posted(metadata.topic(), metadata.partition(), metadata.offset());
        } catch (ExecutionException e) {
            throw clients.failure("producing " + key + " to " + topic, e.getCause() == null ? e : e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw clients.failure("producing " + key + " to " + topic,
                    new org.apache.kafka.common.errors.TimeoutException("no acknowledgement"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw clients.failure("producing " + key + " to " + topic, e);
        } catch (KafkaException e) {
            throw clients.failure("producing " + key + " to " + topic, e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
