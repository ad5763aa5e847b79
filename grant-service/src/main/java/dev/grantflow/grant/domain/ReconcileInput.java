package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.List;

/**
 * Everything the reconcile decision for one grant key depends on, read from memory (the grant ledger and the informer
 * caches) at the moment of the decision.
 *
 * @param entry             the grant as read from the topic, or null when there is none (revoked, or never granted)
 * @param tombstoned        a tombstone was read for the key
 * @param owned             this instance acts on the key: its shard is assigned here and the view is complete
 * @param tenantExists      the tenants topic says the tenant namespace exists (not enough: see {@code tenant})
 * @param source            the {@code secretRef} source Secret, or null when absent
 * @param actualSecrets     managed Secrets labelled with this grant in the tenant namespace
 * @param actualPodDefaults managed PodDefaults labelled with this grant in the tenant namespace
 * @param grantsTopicId     Kafka's id of the grants topic the view reads (recorded on every object made, and
 *                          compared before an object whose grant is gone is collected)
 * @param sealed            the grant's sealed data opened ({@link SealedDataMapper}), or null for other grants
 * @param reported          the last status published for the key (read back from the status topic after a start or
 *                          takeover), or null
 * @param tenant            what grant-service's own Namespace informer says about the tenant namespace
 *                          ({@link TenantConfirmationPolicy}): the topic's word alone never makes a tenant
 */
public record ReconcileInput(GrantKey key, GrantEntry entry, boolean tombstoned, boolean owned, boolean tenantExists,
        Secret source, List<Secret> actualSecrets, List<PodDefault> actualPodDefaults, Instant now,
        String grantsTopicId, SealedDataMapper.Result sealed, GrantStatus reported, TenantCheck tenant) {

    public ReconcileInput {
        java.util.Objects.requireNonNull(tenant);
        actualSecrets = List.copyOf(actualSecrets);
        actualPodDefaults = List.copyOf(actualPodDefaults);
    }
}
