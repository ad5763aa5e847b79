package dev.grantflow.model.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Selector grants in the model: their keys, their validation, and the tally of their tenants. */
class SelectorGrantTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    /** The seed grant with {@code tenantSelector} instead of {@code tenant}. */
    private static ObjectNode selectorGrant(String selectorJson) {
        ObjectNode grant = (ObjectNode) Fixtures.tree("grant/v1-secret-ref.json").deepCopy();
        ObjectNode metadata = (ObjectNode) grant.get("metadata");
        metadata.remove("tenant");
        metadata.set("tenantSelector", Json.readTree(selectorJson));
        return grant;
    }

    private static List<Violation> violations(ObjectNode grant, String key) {
        return GrantValidationPolicy.violations(Json.read(Json.write(grant), Grant.class),
                key == null ? null : GrantKey.parse(key).orElseThrow());
    }

    @Test
    void aSelectorGrantIsKeyedStarSlashName() {
        Grant grant = Json.read(Json.write(selectorGrant(
                "{\"matchLabels\":{\"team\":\"ml\"},\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\","
                        + "\"values\":[\"dev\",\"prod\"]},{\"key\":\"frozen\",\"operator\":\"DoesNotExist\"}]}")),
                Grant.class);
        assertThat(grant.selectsTenants()).isTrue();
        assertThat(grant.key()).isEqualTo("*/" + grant.metadata().name());
        assertThat(GrantValidationPolicy.violations(grant, grant.grantKey())).isEmpty();
        Grant copy = grant.in("alice");
        assertThat(copy.metadata().tenant()).isEqualTo("alice");
        assertThat(copy.selectsTenants()).isTrue();
    }

    @Test
    void bothNeitherOrABadSelectorAreViolations() {
        ObjectNode both = selectorGrant("{\"matchLabels\":{\"team\":\"ml\"}}");
        ((ObjectNode) both.get("metadata")).put("tenant", "alice");
        assertThat(violations(both, null)).extracting(Violation::field, Violation::reason)
                .containsExactly(org.assertj.core.api.Assertions.tuple("metadata", ViolationReason.AMBIGUOUS));

        ObjectNode badOperator = selectorGrant(
                "{\"matchExpressions\":[{\"key\":\"team\",\"operator\":\"Like\",\"values\":[\"ml\"]}]}");
        assertThat(violations(badOperator, null)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("metadata.tenantSelector");
            assertThat(v.reason()).isEqualTo(ViolationReason.INVALID_FORMAT);
            assertThat(v.message()).contains("Like");
        });
        ObjectNode existsWithValues = selectorGrant(
                "{\"matchExpressions\":[{\"key\":\"team\",\"operator\":\"Exists\",\"values\":[\"ml\"]}]}");
        assertThat(violations(existsWithValues, null)).extracting(Violation::field)
                .containsExactly("metadata.tenantSelector");
        ObjectNode badLabel = selectorGrant("{\"matchLabels\":{\"team\":\"not ok\"}}");
        assertThat(violations(badLabel, null)).extracting(Violation::field).containsExactly("metadata.tenantSelector");
    }

    @Test
    void theRecordKeyOfASelectorGrantMustBeStarSlashName() {
        ObjectNode grant = selectorGrant("{}");
        String name = grant.at("/metadata/name").asText();
        assertThat(violations(grant, "*/" + name)).isEmpty();
        assertThat(violations(grant, "alice/" + name)).singleElement()
                .satisfies(v -> assertThat(v.reason()).isEqualTo(ViolationReason.KEY_MISMATCH));
    }

    @Test
    void copyKeysNameTheTenantAndTheSelectorGrant() {
        GrantKey selector = GrantKey.selector("s3");
        assertThat(selector.format()).isEqualTo("*/s3");
        assertThat(selector.isSelector()).isTrue();
        assertThat(selector.isCopy()).isFalse();
        GrantKey copy = selector.copyIn("alice");
        assertThat(copy.format()).isEqualTo("alice/*s3");
        assertThat(GrantKey.parse("alice/*s3")).contains(copy);
        assertThat(copy.isCopy()).isTrue();
        assertThat(copy.grantKey()).isEqualTo(selector);
        assertThat(copy.grantName()).isEqualTo("s3");
        GrantKey plain = new GrantKey("alice", "s3");
        assertThat(plain.isCopy()).isFalse();
        assertThat(plain.grantKey()).isEqualTo(plain);
        assertThatThrownBy(() -> plain.copyIn("bob")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void revocationMetadataForASelectorKey() {
        GrantMetadata metadata = GrantMetadata.forKey(GrantKey.selector("s3"), null, 4, AT, "admin");
        assertThat(metadata.key()).contains(GrantKey.selector("s3"));
        assertThat(GrantValidationPolicy.revocationViolations(GrantRevocation.of(metadata), GrantKey.selector("s3")))
                .isEmpty();
        assertThat(GrantMetadata.forKey(new GrantKey("alice", "s3"), null, 1, AT, null).key())
                .contains(new GrantKey("alice", "s3"));
    }

    @Test
    void theStringFormBecomesAnEquivalentLabelSelector() {
        String expression = "team=ml,env in (dev,prod),tier!=gpu,frozen notin (yes),!legacy,owner";
        CompiledLabelSelector parsed = CompiledLabelSelector.parse(expression);
        CompiledLabelSelector again = CompiledLabelSelector.compile(parsed.toLabelSelector());
        List<Map<String, String>> samples = List.of(
                Map.of("team", "ml", "env", "dev", "owner", "a"),
                Map.of("team", "ml", "env", "dev", "owner", "a", "tier", "gpu"),
                Map.of("team", "ml", "env", "qa", "owner", "a"),
                Map.of("team", "ml", "env", "prod", "owner", "a", "legacy", "x"),
                Map.of("team", "ml", "env", "prod", "owner", "a", "frozen", "yes"),
                Map.of("team", "ml", "env", "prod"),
                Map.of());
        for (Map<String, String> labels : samples) {
            assertThat(again.matches(labels)).as("%s", labels).isEqualTo(parsed.matches(labels));
        }
        assertThat(samples.stream().filter(parsed::matches)).hasSize(1);
        assertThat(again.toString()).isEqualTo(CompiledLabelSelector.compile(parsed.toLabelSelector()).toString());
    }

    @Test
    void countsTallyEachSelectedTenantOnceByItsCopysLatestStatus() {
        GrantKey selector = GrantKey.selector("s3");
        TenantCounts counts = TenantCounts.none()
                .plus(GrantStatus.of(selector.copyIn("a"), 2, StatusReason.APPLIED, "", AT), 2)
                .plus(GrantStatus.of(selector.copyIn("b"), 1, StatusReason.APPLIED, "", AT), 2)
                .plus(null, 2)
                .plus(GrantStatus.of(selector.copyIn("d"), 2, StatusReason.SOURCE_MISSING, "", AT), 2)
                .plus(GrantStatus.of(selector.copyIn("e"), 2, StatusReason.OVERRIDDEN, "", AT), 2)
                .plus(GrantStatus.of(selector.copyIn("f"), 2, StatusReason.TENANT_UNCONFIRMED, "", AT), 2);
        assertThat(counts).isEqualTo(new TenantCounts(6, 1, 3, 1, 1));
        GrantStatus status = GrantStatus.of(selector, 2, StatusReason.TENANTS_PENDING, "", AT).withTenants(counts);
        assertThat(Json.read(Json.write(status), GrantStatus.class)).isEqualTo(status);
        assertThat(Json.write(GrantStatus.of(selector.copyIn("a"), 2, StatusReason.APPLIED, "", AT)))
                .doesNotContain("tenants");
    }
}
