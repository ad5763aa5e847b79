package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.GrantRecordMapper;
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
 * The grants topic as a consumer group: each record is seen by exactly one instance (at least once), which gives it
 * the duties that must happen once, not once per instance: a record that cannot be read is nacked, which sends it to
 * the dead-letter topic with the reason in its headers (failure strategy of the channel), and reported as
 * {@code Rejected/Unparseable}. The group's partition assignment also hands out the shards ({@link GrantShards}).
 * The desired state itself comes from {@link GrantTopicReader}, which every instance reads in full.
 */
@ApplicationScoped
public class GrantConsumer {

    private static final Logger LOG = Logger.getLogger(GrantConsumer.class);

    @Inject
    StatusPublisher status;

    @Incoming(Channels.GRANTS_IN)
    public CompletionStage<Void> onGrant(Message<byte[]> message) {
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        String recordKey = meta.getKey() == null ? null : meta.getKey().toString();
        if (GrantRecordMapper.decode(recordKey, message.getPayload())
                instanceof GrantRecordMapper.Unreadable unreadable) {
            LOG.warnf("Unreadable grant record at partition %d offset %d sent to the dead-letter topic: %s",
                    meta.getPartition(), meta.getOffset(), unreadable.message());
            if (unreadable.key() != null) {
                status.publishInBackground(GrantStatus.of(unreadable.key(), 0, StatusReason.UNPARSEABLE,
                        unreadable.message(), Instant.now()));
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
