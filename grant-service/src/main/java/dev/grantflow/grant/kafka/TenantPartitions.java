package dev.grantflow.grant.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;

/**
 * Every instance reads every tenants partition (a consumer group of its own) from the beginning, and tracks when it
 * has caught up with the end offsets of the assignment.
 */
@ApplicationScoped
@Identifier("tenants-rebalance")
@Default
public class TenantPartitions extends RebuildingRebalanceListener {
}
