package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.SecretSource;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, for one grant key, what must exist in the tenant namespace and what to report. Level-triggered and
 * idempotent: the plan depends only on the current desired and actual state, so replays, duplicates and out-of-order
 * triggers converge to the same result, and a state that is already right yields no writes.
 *
 * <p>Rules, in order:
 * <p>Only the instance that owns the key's shard with a complete view of the grants topic acts ({@code owned}).
 *
 * <ol>
 *   <li>No grant: after a tombstone, delete what the grant made, {@code Revoked}. Without a tombstone (compacted away
 *       while the service was down) the copies are collected as well, but only those made from the grants topic the
 *       view reads (its topic id) and within the {@link DeletionBudget}; otherwise {@code Pending/DeletionHeldBack}.
 *       </li>
 *   <li>Rejected record: nothing is applied or removed, {@code Rejected}.</li>
 *   <li>A signed revocation: delete what the grant made, {@code Revoked} with the revocation's generation.</li>
 *   <li>Signatures required, and the key's last published status is a revocation of this generation or a later one
 *       (a replayed grant whose revocation record was compacted away): stays revoked, copies deleted.</li>
 *   <li>A {@code secretRef} outside the source namespace, or {@code sealedData} that does not open
 *       ({@link SealedDataMapper}): {@code Rejected}.</li>
 *   <li>A generation older than the one the objects carry: left alone (no rollback by replay),
 *       {@code Rejected/StaleGeneration}.</li>
 *   <li>Expired: delete, {@code Revoked/Expired}.</li>
 *   <li>Tenant absent (the tenants topic does not announce it), or not confirmed by grant-service's own Namespace
 *       informer ({@link TenantConfirmationPolicy}: absent, terminating, not labelled): {@code Pending}; copies left in
 *       a namespace that is no longer a tenant are deleted (credentials must not outlive the tenancy), within the
 *       {@link DeletionBudget}. A protected namespace is refused before any rule
 *       ({@link TenantConfirmationPolicy#protectedTenant}); should it reach this rule, nothing is deleted there.</li>
 *   <li>Source Secret missing, or lacking a key the grant references: {@code Failed/SourceMissing}; copies stay.</li>
 *   <li>The data lacks a key the Secret's type requires ({@link SecretTypeKeysPolicy}):
 *       {@code Failed/SecretTypeKeysMissing}; nothing is written, copies stay.</li>
 *   <li>Otherwise create or update the Secret (delete and create it when its type changes, or its data and it is
 *       {@code immutable}: {@link #mustRecreate}), then the PodDefault; delete managed objects of this grant with
 *       other names (a renamed Secret or PodDefault); {@code Applied}.</li>
 * </ol>
 */
public final class ReconcilePolicy {

    private final String sourceNamespace;
    private final ContentHash hash;
    private final boolean signaturesRequired;

    /**
     * @param sourceNamespace    the only namespace {@code secretRef} sources may name
     * @param hash               the keyed content hash of the objects' annotations
     * @param signaturesRequired the production setting: revocations are signed records, a tombstone revokes nothing
     */
    public ReconcilePolicy(String sourceNamespace, ContentHash hash, boolean signaturesRequired) {
        this.sourceNamespace = Objects.requireNonNull(sourceNamespace);
        this.hash = Objects.requireNonNull(hash);
        this.signaturesRequired = signaturesRequired;
    }

    public ReconcilePlan plan(ReconcileInput in) {
        GrantKey key = in.key();
        if (in.entry() == null) {
            return noGrant(in);
        }
        if (in.entry() instanceof GrantEntry.Rejected rejected) {
            return report(GrantStatus.of(key, rejected.generation(), rejected.reason(), rejected.message(), in.now()));
        }
        if (in.entry() instanceof GrantEntry.Revoked revoked) {
            List<KubeAction> deletes = deleteAll(in);
            return new ReconcilePlan(deletes, GrantStatus.of(key, revoked.generation(), StatusReason.REVOKED,
                    "revoked up to generation " + revoked.generation() + deleted(deletes), in.now()), null);
        }
        Grant grant = ((GrantEntry.Accepted) in.entry()).grant();
        long generation = grant.generation();
        if (floored(in.reported(), generation)) {
            List<KubeAction> deletes = deleteAll(in);
            return new ReconcilePlan(deletes, in.reported(), null);
        }
        Optional<GrantStatus> refused = refusedSource(key, grant, in.sealed(), in.now());
        if (refused.isPresent()) {
            return report(refused.get());
        }
        SecretSource source = grant.spec().secret().source();
        Optional<Long> applied = appliedGeneration(in);
        if (applied.isPresent() && applied.get() > generation) {
            return report(staleGeneration(key, generation, applied.get(), in.now()));
        }
        if (grant.isExpiredAt(in.now())) {
            List<KubeAction> deletes = deleteAll(in);
            return new ReconcilePlan(deletes, GrantStatus.of(key, generation, StatusReason.EXPIRED,
                    "expired at " + grant.spec().expiresAt() + deleted(deletes), in.now()), null);
        }
        Instant recheck = grant.spec().expiresAt();
        if (!in.tenantExists() || !in.tenant().confirmed()) {
            List<KubeAction> deletes = in.tenant().isProtected() ? List.of() : deleteAll(in);
            return new ReconcilePlan(deletes, TenantConfirmationPolicy.notATenant(in, generation, deleted(deletes)),
                    recheck, !deletes.isEmpty());
        }
        if (in.source() == null) {
            return new ReconcilePlan(List.of(), GrantStatus.of(key, generation, StatusReason.SOURCE_MISSING,
                    "source " + sourceName(source) + " does not exist", in.now()), recheck);
        }
        Map<String, String> data = DesiredObjectsMapper.sourceData(in.source());
        List<String> missing = DesiredObjectsMapper.referencedKeys(grant).stream()
                .filter(k -> !data.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            return new ReconcilePlan(List.of(), GrantStatus.of(key, generation, StatusReason.SOURCE_MISSING,
                    "source " + sourceName(source) + " has no key(s) " + missing,
                    in.now()), recheck);
        }
        String type = DesiredObjectsMapper.secretType(grant, in.source());
        Optional<String> typeKeys = SecretTypeKeysPolicy.missing(type, data.keySet());
        if (typeKeys.isPresent()) {
            return new ReconcilePlan(List.of(), GrantStatus.of(key, generation, StatusReason.SECRET_TYPE_KEYS_MISSING,
                    "a " + type + " Secret " + typeKeys.get() + "; source " + sourceName(source)
                            + " has no such key; nothing written", in.now()), recheck);
        }
        return apply(in, grant, recheck);
    }

    private String sourceName(SecretSource source) {
        return source.secretRef() == null ? "sealedData" : "Secret " + sourceNamespace + "/" + source.secretRef().name();
    }

    /**
     * Signatures are required and {@code reported} (a key's last published status) is a revocation of
     * {@code generation} or a later one: a replayed grant whose revocation record was compacted away stays revoked.
     */
    public boolean floored(GrantStatus reported, long generation) {
        return signaturesRequired && reported != null && StatusReason.REVOKED.value().equals(reported.reason())
                && reported.generation() >= generation;
    }

    /**
     * Why the grant's source can never be used, or empty: {@code sealedData} that does not open
     * ({@link SealedDataMapper}), or a {@code secretRef} outside the source namespace; {@code Rejected} either way.
     */
    public Optional<GrantStatus> refusedSource(GrantKey key, Grant grant, SealedDataMapper.Result sealed, Instant now) {
        SecretSource source = grant.spec().secret().source();
        if (source.kind() == SecretSource.Kind.SEALED_DATA) {
            if (sealed instanceof SealedDataMapper.Refused refused) {
                return Optional.of(GrantStatus.of(key, grant.generation(), refused.reason(), refused.message(), now));
            }
        } else if (!sourceNamespace.equals(source.secretRef().namespace())) {
            return Optional.of(GrantStatus.of(key, grant.generation(), StatusReason.INVALID_GRANT,
                    "spec.secret.source.secretRef.namespace: sources must be in namespace '" + sourceNamespace
                            + "', not '" + source.secretRef().namespace() + "'", now));
        }
        return Optional.empty();
    }

    private ReconcilePlan apply(ReconcileInput in, Grant grant, Instant recheck) {
        Secret desiredSecret = DesiredObjectsMapper.secret(grant, in.source(), hash);
        PodDefault desiredPodDefault = DesiredObjectsMapper.podDefault(grant, hash);
        if (in.grantsTopicId() != null) {
            desiredSecret.getMetadata().getAnnotations().put(ManagedLabels.GRANTS_TOPIC, in.grantsTopicId());
            desiredPodDefault.getMetadata().getAnnotations().put(ManagedLabels.GRANTS_TOPIC, in.grantsTopicId());
        }
        List<KubeAction> actions = new ArrayList<>();
        // PodDefaults of this grant with another name go first, then Secrets: nothing ever mounts a missing Secret.
        in.actualPodDefaults().stream().filter(pd -> !sameName(pd, desiredPodDefault))
                .forEach(pd -> actions.add(new KubeAction.Delete(pd)));
        Secret currentSecret = find(in.actualSecrets(), desiredSecret);
        if (mustRecreate(currentSecret, desiredSecret)) {
            actions.add(new KubeAction.Recreate(desiredSecret, currentSecret));
        } else if (!upToDate(currentSecret, desiredSecret)) {
            actions.add(new KubeAction.Upsert(desiredSecret, currentSecret));
        }
        PodDefault currentPodDefault = find(in.actualPodDefaults(), desiredPodDefault);
        if (!upToDate(currentPodDefault, desiredPodDefault)) {
            actions.add(new KubeAction.Upsert(desiredPodDefault, currentPodDefault));
        }
        in.actualSecrets().stream().filter(s -> !sameName(s, desiredSecret))
                .forEach(s -> actions.add(new KubeAction.Delete(s)));
        String message = "Secret " + desiredSecret.getMetadata().getName() + " and PodDefault "
                + desiredPodDefault.getMetadata().getName() + " applied in namespace " + in.key().tenant()
                + " (generation " + grant.generation() + ")";
        return new ReconcilePlan(actions,
                GrantStatus.of(in.key(), grant.generation(), StatusReason.APPLIED, message, in.now()), recheck);
    }

    private ReconcilePlan noGrant(ReconcileInput in) {
        if (!in.owned()) {
            return new ReconcilePlan(List.of(), null, null);
        }
        List<KubeAction> deletes = deleteAll(in);
        long generation = appliedGeneration(in).orElse(0L);
        if (in.tombstoned()) {
            return new ReconcilePlan(deletes, GrantStatus.of(in.key(), generation, StatusReason.REVOKED, "revoked"
                    + deleted(deletes), in.now()), null);
        }
        if (deletes.isEmpty()) {
            return new ReconcilePlan(List.of(), null, null);
        }
        if (signaturesRequired) {
            return report(GrantStatus.of(in.key(), generation, StatusReason.DELETION_HELD_BACK,
                    "the grants topic holds no record for this key and no signed revocation (a tombstone revokes "
                            + "nothing where signatures are required); copies left in place; revoke with a signed "
                            + "revocation (grantctl revoke)", in.now()));
        }
        List<String> foreign = deletes.stream().map(KubeAction::object)
                .filter(o -> in.grantsTopicId() == null || !in.grantsTopicId().equals(annotation(o,
                        ManagedLabels.GRANTS_TOPIC)))
                .map(o -> o.getKind() + " " + o.getMetadata().getName()).toList();
        if (!foreign.isEmpty()) {
            return report(GrantStatus.of(in.key(), generation, StatusReason.DELETION_HELD_BACK,
                    "no grant exists for this key in grants topic " + in.grantsTopicId() + ", but " + foreign
                            + " were not made from it (another or a re-created topic); left in place", in.now()));
        }
        return new ReconcilePlan(deletes, GrantStatus.of(in.key(), generation, StatusReason.REVOKED,
                "no grant exists for this key" + deleted(deletes), in.now()), null, true);
    }

    /**
     * The report for a grant record older than the generation in force ({@code held}): ignored, no rollback by
     * replay.
     */
    public static GrantStatus staleGeneration(GrantKey key, long generation, long held, Instant now) {
        return GrantStatus.of(key, generation, StatusReason.STALE_GENERATION, "generation " + generation
                + " is older than the generation in force, " + held + "; ignored", now);
    }

    /**
     * Whether {@code next} is worth publishing after {@code previous} (the last status published for the key, or
     * null): only a change of phase, reason, generation or (a selector grant's) tenant counts is; a repeated state is
     * not, whatever its message or time.
     * Generation 0 means unknown (e.g. a revoked key whose copies are already gone): it repeats any generation.
     */
    public static boolean worthPublishing(GrantStatus previous, GrantStatus next) {
        return previous == null || previous.phase() != next.phase()
                || !Objects.equals(previous.reason(), next.reason())
                || (next.generation() != 0 && previous.generation() != next.generation())
                || !Objects.equals(previous.tenants(), next.tenants());
    }

    /**
     * Why {@code found}, an object with the name Grantflow wants to write, is not this grant's to change (the
     * never-clobber rule), or empty when it is: it must carry Grantflow's {@code managed-by} label and this grant's
     * {@code grant} label.
     */
    public static Optional<String> notOurs(HasMetadata found, HasMetadata desired, String what) {
        if (!ManagedLabels.MANAGED_BY_VALUE.equals(label(found, ManagedLabels.MANAGED_BY))) {
            return Optional.of(what + " exists and is not managed by Grantflow; it is left untouched");
        }
        String owner = owner(found);
        if (!Objects.equals(owner, owner(desired))) {
            return Optional.of(what + " exists and belongs to " + (owner == null ? "no grant" : owner)
                    + " of the same tenant; it is left untouched");
        }
        return Optional.empty();
    }

    /**
     * Like {@link #notOurs}, but a grant that takes precedence ({@link SelectorGrantPolicy}) may take over the
     * object of the same name a selector grant's copy made: a grant to the tenant over any copy, a selector grant's
     * copy over the copy of a selector grant with a greater name. Only the name clash is overridden: an object
     * Grantflow does not manage, or another grant's to the tenant, is never touched.
     */
    public static Optional<String> mayTakeOver(HasMetadata found, HasMetadata desired, String what) {
        Optional<String> notOurs = notOurs(found, desired, what);
        if (notOurs.isEmpty() || !ManagedLabels.MANAGED_BY_VALUE.equals(label(found, ManagedLabels.MANAGED_BY))) {
            return notOurs;
        }
        String loser = label(found, ManagedLabels.SELECTOR_GRANT);
        if (loser == null || label(found, ManagedLabels.GRANT) != null) {
            return notOurs;
        }
        String winner = label(desired, ManagedLabels.SELECTOR_GRANT);
        return label(desired, ManagedLabels.GRANT) != null || (winner != null && winner.compareTo(loser) < 0)
                ? Optional.empty() : notOurs;
    }

    /** Who made an object: {@code grant <name>}, {@code selector grant <name>}, or null. */
    private static String owner(HasMetadata object) {
        String grant = label(object, ManagedLabels.GRANT);
        if (grant != null) {
            return "grant " + grant;
        }
        String selector = label(object, ManagedLabels.SELECTOR_GRANT);
        return selector == null ? null : "selector grant " + selector;
    }

    private static String label(HasMetadata object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    /**
     * The plan to carry out under the deletion budget: a collection that the budget has no room for becomes a report
     * that it is held back, rechecked when the budget has room again.
     */
    public ReconcilePlan withinBudget(ReconcilePlan plan, ReconcileInput in, DeletionBudget budget) {
        if (!plan.collection()) {
            budget.release(in.key());
            return plan;
        }
        if (budget.take(in.key(), in.now())) {
            return plan;
        }
        long generation = in.entry() != null ? in.entry().generation() : appliedGeneration(in).orElse(0L);
        return new ReconcilePlan(List.of(), GrantStatus.of(in.key(), generation, StatusReason.DELETION_HELD_BACK,
                plan.actions().size() + " deletion(s) held back: the deletion budget for objects no record asked to "
                        + "delete is spent for this interval (" + budget.interval() + "); retried then",
                in.now()), budget.nextWindow());
    }

    private static String annotation(HasMetadata object, String name) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(name);
    }

    /** The generation recorded on the objects this grant made, if any. */
    private static Optional<Long> appliedGeneration(ReconcileInput in) {
        List<HasMetadata> objects = new ArrayList<>(in.actualSecrets());
        objects.addAll(in.actualPodDefaults());
        return objects.stream()
                .map(o -> o.getMetadata().getAnnotations() == null ? null
                        : o.getMetadata().getAnnotations().get(ManagedLabels.GENERATION))
                .filter(Objects::nonNull)
                .flatMap(g -> {
                    try {
                        return java.util.stream.Stream.of(Long.parseLong(g));
                    } catch (NumberFormatException e) {
                        return java.util.stream.Stream.empty();
                    }
                })
                .max(Long::compare);
    }

    static List<KubeAction> deleteAll(ReconcileInput in) {
        List<KubeAction> deletes = new ArrayList<>();
        in.actualPodDefaults().forEach(pd -> deletes.add(new KubeAction.Delete(pd)));
        in.actualSecrets().forEach(s -> deletes.add(new KubeAction.Delete(s)));
        return deletes;
    }

    static String deleted(List<KubeAction> deletes) {
        return deletes.isEmpty() ? "" : "; deleted " + String.join(", ", deletes.stream().map(KubeAction::describe).toList());
    }

    /**
     * True when {@code actual} has the desired content and Grantflow's labels and annotations. Content is compared by
     * its canonical hash, recomputed from what the API holds: an edited copy is drift even if its annotation was left
     * alone.
     */
    public boolean upToDate(HasMetadata actual, HasMetadata desired) {
        if (actual == null) {
            return false;
        }
        Map<String, String> labels = Optional.ofNullable(actual.getMetadata().getLabels()).orElse(Map.of());
        Map<String, String> annotations = Optional.ofNullable(actual.getMetadata().getAnnotations()).orElse(Map.of());
        boolean metadataOk = desired.getMetadata().getLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))
                && desired.getMetadata().getAnnotations().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(annotations.get(e.getKey())));
        return metadataOk && contentHash(actual).equals(desired.getMetadata().getAnnotations()
                .get(ManagedLabels.CONTENT_HASH));
    }

    /**
     * True when {@code actual} cannot become {@code desired} by an update, because the API server refuses to change
     * the field that differs: a Secret's {@code type} (always immutable), or the data of a Secret marked
     * {@code immutable}. Such an object is deleted and created again.
     */
    public boolean mustRecreate(HasMetadata actual, HasMetadata desired) {
        if (!(actual instanceof Secret current) || !(desired instanceof Secret wanted)) {
            return false;
        }
        if (!typeOf(current).equals(typeOf(wanted))) {
            return true;
        }
        return Boolean.TRUE.equals(current.getImmutable())
                && !contentHash(current).equals(wanted.getMetadata().getAnnotations().get(ManagedLabels.CONTENT_HASH));
    }

    private static String typeOf(Secret secret) {
        return secret.getType() == null || secret.getType().isBlank() ? "Opaque" : secret.getType();
    }

    String contentHash(HasMetadata object) {
        if (object instanceof Secret secret) {
            Map<String, Object> content = new java.util.LinkedHashMap<>();
            content.put("type", typeOf(secret));
            content.put("data", DesiredObjectsMapper.sourceData(secret));
            return hash.of(content);
        }
        return hash.of(((PodDefault) object).getSpec());
    }

    private static <T extends HasMetadata> T find(List<T> objects, HasMetadata desired) {
        return objects.stream().filter(o -> sameName(o, desired)).findFirst().orElse(null);
    }

    private static boolean sameName(HasMetadata a, HasMetadata b) {
        return a.getMetadata().getName().equals(b.getMetadata().getName());
    }

    private static ReconcilePlan report(GrantStatus status) {
        return new ReconcilePlan(List.of(), status, null);
    }
}
