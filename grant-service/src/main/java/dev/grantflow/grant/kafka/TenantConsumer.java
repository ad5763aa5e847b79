package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.GrantLedger;
import dev.grantflow.grant.domain.ReconcileTrigger;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Tenant events: a record with a value means the tenant namespace exists, a tombstone that it is gone. Only existence
 * matters here, so the value is not parsed (an unreadable value still says the namespace exists).
 */
@ApplicationScoped
public class TenantConsumer {

    private static final Logger LOG = Logger.getLogger(TenantConsumer.class);

    @Inject
    GrantLedger ledger;

    @Inject
    ReconcileTrigger reconciler;

    @Inject
    TenantPartitions partitions;

    @Incoming(Channels.TENANTS_IN)
    public CompletionStage<Void> onTenant(Message<byte[]> message) {
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        Object key = meta.getKey();
        if (key != null) {
            String tenant = key.toString();
            boolean exists = message.getPayload() != null;
            boolean known = ledger.tenantExists(tenant);
            ledger.tenant(tenant, exists);
            if (known != exists) {
                // A start reads the whole topic, which names every tenant again (10,000 lines per replica and restart
                // on a large cluster): only the changes after it are logged at INFO.
                LOG.logf(partitions.caughtUp() ? Logger.Level.INFO : Logger.Level.DEBUG, "Tenant %s %s", tenant,
                        exists ? "exists" : "is gone");
            }
            reconciler.tenantChanged(tenant);
        }
        partitions.consumed(meta.getPartition(), meta.getOffset());
        return message.ack();
    }
}
