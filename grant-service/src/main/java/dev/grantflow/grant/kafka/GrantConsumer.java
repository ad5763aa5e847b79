package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.AuditMapper;
import dev.grantflow.grant.domain.GrantRecordMapper;
import dev.grantflow.grant.domain.VerificationReceipts;
import dev.grantflow.model.grant.GrantAuditEntry;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.trust.Signatures;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * The grants topic as a consumer group: each record is seen by exactly one instance (at least once), which gives it
 * the duties that must happen once, not once per instance: its decision goes to the audit topic (accepted, rejected,
 * revoked, ignored; the record is acknowledged once the audit entry is), a record that fails authentication is logged,
 * and a record that cannot be read is nacked, which sends it to the dead-letter topic with the reason in its headers
 * (failure strategy of the channel), and reported as {@code Rejected/Unparseable}. The group's partition assignment
 * also hands out the shards ({@link GrantShards}). The desired state itself comes from {@link GrantTopicReader},
 * which every instance reads in full.
 */
@ApplicationScoped
public class GrantConsumer {

    private static final Logger LOG = Logger.getLogger(GrantConsumer.class);

    @Inject
    StatusPublisher status;

    @Inject
    GrantRecordMapper mapper;

    @Inject
    AuditMapper audit;

    @Inject
    VerificationReceipts receipts;

    @Inject
    @Channel(Channels.AUDIT_OUT)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<Record<String, GrantAuditEntry>> auditEmitter;

    @Incoming(Channels.GRANTS_IN)
    public CompletionStage<Void> onGrant(Message<byte[]> message) {
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        String recordKey = meta.getKey() == null ? null : meta.getKey().toString();
        String signature = header(meta.getHeaders(), Signatures.HEADER);
        // The view (GrantTopicReader) usually read this record first: its receipt spares a second signature check.
        GrantRecordMapper.Decoded decoded = mapper.decode(recordKey, message.getPayload(), signature,
                receipts.ofRecordKey(recordKey));
        GrantAuditEntry entry = audit.entry(decoded, new AuditMapper.Origin(recordKey, message.getPayload(), signature,
                meta.getPartition(), meta.getOffset(), meta.getTimestamp()), Instant.now());
        if (decoded instanceof GrantRecordMapper.Refused refused) {
            LOG.warnf("Grant record %s generation %d at partition %d offset %d refused: %s: %s", refused.entry().key(),
                    refused.entry().generation(), meta.getPartition(), meta.getOffset(), refused.entry().reason(),
                    refused.entry().message());
        } else if (decoded instanceof GrantRecordMapper.IgnoredTombstone ignored) {
            LOG.warnf("Tombstone for %s at partition %d offset %d ignored: signatures are required, and a revocation "
                    + "is a signed GrantRevocation record", ignored.key(), meta.getPartition(), meta.getOffset());
        }
        CompletionStage<Void> audited = audit(entry).subscribeAsCompletionStage();
        if (decoded instanceof GrantRecordMapper.Unreadable unreadable) {
            LOG.warnf("Unreadable grant record at partition %d offset %d sent to the dead-letter topic: %s",
                    meta.getPartition(), meta.getOffset(), unreadable.message());
            if (unreadable.key() != null) {
                status.publishInBackground(GrantStatus.of(unreadable.key(), 0, StatusReason.UNPARSEABLE,
                        unreadable.message(), Instant.now()));
            }
            return audited.thenCompose(ok -> message.nack(new UnreadableGrantException(unreadable.message())));
        }
        return audited.thenCompose(ok -> message.ack());
    }

    /**
     * Sends the audit entry, retrying with backoff for about half a minute. If the broker still refuses it, the loss is
     * logged (ERROR, with the entry's key, generation, partition and offset) and the grants record is acknowledged
     * all the same: the grant's effect never depends on its audit entry, and a valid record must not go to the
     * dead-letter topic, nor hold the channel's commits, because the audit topic is unavailable.
     */
    private Uni<Void> audit(GrantAuditEntry entry) {
        return auditEmitter.sendMessage(Message.of(Record.of(entry.key(), entry)))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(8)
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf("Audit entry of %s generation %d (partition %d, offset %d) could not be written: %s",
                            entry.key(), entry.generation(), entry.partition(), entry.offset(), failure.getMessage());
                    return null;
                });
    }

    private static String header(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The reason a record went to the dead-letter topic; its message never quotes the record value. */
    public static final class UnreadableGrantException extends RuntimeException {
        public UnreadableGrantException(String message) {
            super(message, null, false, false);
        }
    }
}
