package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.GrantBook;
import dev.grantflow.grant.domain.GrantRecordMapper;
import dev.grantflow.grant.kube.GrantReconciler;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Grants: decode -> record in the grant book -> enqueue the key. A record that cannot be read is nacked, which sends
 * it to the dead-letter topic with the reason in its headers (failure strategy of the channel), and reported as
 * {@code Rejected/Unparseable}; the grant held before, if any, stays in force. Nothing here waits for Kubernetes.
 */
@ApplicationScoped
public class GrantConsumer {

    private static final Logger LOG = Logger.getLogger(GrantConsumer.class);

    @Inject
    GrantBook book;

    @Inject
    GrantReconciler reconciler;

    @Inject
    GrantPartitions partitions;

    @Inject
    StatusPublisher status;

    @Incoming(Channels.GRANTS_IN)
    public CompletionStage<Void> onGrant(Message<byte[]> message) {
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        int partition = meta.getPartition();
        partitions.consumed(partition, meta.getOffset());
        String recordKey = meta.getKey() == null ? null : meta.getKey().toString();
        GrantRecordMapper.Decoded decoded = GrantRecordMapper.decode(recordKey, message.getPayload());

        if (decoded instanceof GrantRecordMapper.Revoke revoke) {
            LOG.infof("Grant %s revoked", revoke.key());
            book.revoke(revoke.key(), partition);
            reconciler.enqueue(revoke.key());
        } else if (decoded instanceof GrantRecordMapper.Entry entry) {
            if (book.put(entry.entry(), partition) == GrantBook.PutResult.STALE) {
                long held = book.entry(entry.entry().key()).generation();
                LOG.warnf("Grant %s generation %d ignored: generation %d is newer", entry.entry().key(),
                        entry.entry().generation(), held);
                status.publishInBackground(GrantStatus.of(entry.entry().key(), entry.entry().generation(),
                        StatusReason.STALE_GENERATION, "generation " + entry.entry().generation()
                                + " is older than the held generation " + held + "; ignored", Instant.now()));
            } else {
                LOG.debugf("Grant %s generation %d read", entry.entry().key(), entry.entry().generation());
                reconciler.enqueue(entry.entry().key());
            }
        } else {
            GrantRecordMapper.Unreadable unreadable = (GrantRecordMapper.Unreadable) decoded;
            LOG.warnf("Unreadable grant record at partition %d offset %d sent to the dead-letter topic: %s",
                    partition, meta.getOffset(), unreadable.message());
            if (unreadable.key() != null) {
                status.publishInBackground(GrantStatus.of(unreadable.key(), 0, StatusReason.UNPARSEABLE, unreadable.message(),
                        Instant.now()));
            }
            return message.nack(new UnreadableGrantException(unreadable.message()));
        }
        return message.ack();
    }

    /** The reason a record went to the dead-letter topic; its message never quotes the record value. */
    public static final class UnreadableGrantException extends RuntimeException {
        public UnreadableGrantException(String message) {
            super(message, null, false, false);
        }
    }
}
