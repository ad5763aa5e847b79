package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.GrantFeed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@link GrantFeed} on Kafka: the grants view and the tenants consumer. */
@ApplicationScoped
public class KafkaGrantFeed implements GrantFeed {

    @Inject
    GrantTopicReader view;

    @Inject
    TenantPartitions tenants;

    @Override
    public boolean caughtUp() {
        return view.caughtUp() && tenants.caughtUp();
    }
}
