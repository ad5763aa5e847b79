package dev.grantflow.grant.kube;

import static dev.grantflow.grant.kube.GrantTestSupport.PROFILE_LABELS;
import static dev.grantflow.grant.kube.GrantTestSupport.decode;
import static dev.grantflow.grant.kube.GrantTestSupport.grant;
import static dev.grantflow.grant.kube.GrantTestSupport.source;
import static dev.grantflow.grant.kube.GrantTestSupport.tenantNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.grant.domain.ManagedLabels;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Selector grants end to end against the real broker and the API stand-in: a grant for every tenant whose labels
 * match, before any tenant exists and as tenants appear, relabel in and out, precedence of a grant to the tenant and
 * between selector grants, revocation, the selector grant's tally, and a selector over 1,000 tenants.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class SelectorGrantTest {

    static final String CANARY = "canary-" + UUID.randomUUID();
    static final String CANARY_B64 = Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8));

    static GrantTestSupport kafka;

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void connect() {
        kafka = new GrantTestSupport(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void noSecretValueLeaked() throws Exception {
        kafka.closeCheckingNothingLeaked(CANARY, CANARY_B64);
    }

    /** The seed grant named {@code name} for the tenants {@code selector} (JSON) selects, instead of one tenant. */
    static ObjectNode selectorGrant(String name, long generation, String selector) {
        ObjectNode grant = grant("unused", name, generation);
        ObjectNode metadata = (ObjectNode) grant.get("metadata");
        metadata.remove("tenant");
        metadata.set("tenantSelector", Json.readTree(selector));
        return grant;
    }

    static void postSelector(ObjectNode grant) {
        kafka.postRaw("*/" + grant.get("metadata").get("name").asText(), grant.toString());
    }

    void tenant(String name, Map<String, String> labels) {
        Map<String, String> all = new HashMap<>(labels);
        all.putAll(PROFILE_LABELS);
        tenantNamespace(client, name, all);
        kafka.tenantRecord(name);
    }

    @Test
    void aSelectorGrantFollowsTheTenantsItsSelectorMatches() {
        source(client, "team-s3", Map.of("token", CANARY));
        String selector = "{\"matchLabels\":{\"team\":\"ml\"},\"matchExpressions\":[{\"key\":\"env\","
                + "\"operator\":\"NotIn\",\"values\":[\"frozen\"]}]}";
        postSelector(selectorGrant("team-s3", 1, selector));

        // Before any tenant exists: applied to none yet, and said so.
        JsonNode none = kafka.awaitStatus("*/team-s3", "Applied", "Applied");
        assertThat(none.get("tenants").get("selected").asInt()).isZero();
        assertThat(none.get("message").asText()).contains("team=ml").contains("env notin (frozen)");

        // Tenants appear: the matching one gets the copy, the others nothing.
        tenant("sel-a", Map.of("team", "ml"));
        tenant("sel-b", Map.of("team", "ml", "env", "frozen"));
        tenant("sel-c", Map.of("team", "other"));
        kafka.awaitStatus("sel-a/*team-s3", "Applied", "Applied");
        Secret copy = client.secrets().inNamespace("sel-a").withName("team-s3").get();
        assertThat(decode(copy.getData().get("token"))).isEqualTo(CANARY);
        assertThat(copy.getMetadata().getLabels()).containsEntry(ManagedLabels.SELECTOR_GRANT, "team-s3")
                .doesNotContainKey(ManagedLabels.GRANT);
        assertThat(client.resources(PodDefault.class).inNamespace("sel-a").withName("team-s3").get()).isNotNull();
        awaitCounts("team-s3", 1, 1);
        assertThat(managedIn("sel-b")).isEmpty();
        assertThat(managedIn("sel-c")).isEmpty();

        // Labels change in and out.
        tenantNamespace(client, "sel-c", withProfile(Map.of("team", "ml")));
        kafka.awaitStatus("sel-c/*team-s3", "Applied", "Applied");
        awaitCounts("team-s3", 2, 2);
        tenantNamespace(client, "sel-a", withProfile(Map.of("team", "other")));
        assertThat(kafka.awaitStatus("sel-a/*team-s3", "Revoked", "TenantNotSelected").get("message").asText())
                .contains("its labels do not match the tenant selector").contains("deleted");
        assertThat(managedIn("sel-a")).isEmpty();
        awaitCounts("team-s3", 1, 1);

        // A grant to the tenant producing the same Secret name wins, and takes the object over.
        source(client, "own-s3", Map.of("token", "own-value"));
        kafka.post(grant("sel-c", "own-s3", 1, g -> ((ObjectNode) g.get("spec").get("secret")).put("name", "team-s3")));
        kafka.awaitStatus("sel-c/own-s3", "Applied", "Applied");
        assertThat(kafka.awaitStatus("sel-c/*team-s3", "Rejected", "Overridden").get("message").asText())
                .contains("grant sel-c/own-s3 to this tenant");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Secret taken = client.secrets().inNamespace("sel-c").withName("team-s3").get();
            assertThat(taken.getMetadata().getLabels()).containsEntry(ManagedLabels.GRANT, "own-s3")
                    .doesNotContainKey(ManagedLabels.SELECTOR_GRANT);
            assertThat(decode(taken.getData().get("token"))).isEqualTo("own-value");
            assertThat(client.resources(PodDefault.class).inNamespace("sel-c").withName("team-s3").get()).isNull();
        });
        assertThat(kafka.statuses("sel-c/own-s3")).extracting(status -> status.get("phase").asText())
                .as("the grant to the tenant took the name over without a conflict").containsOnly("Applied");
        JsonNode overridden = awaitCounts("team-s3", 1, 0);
        assertThat(overridden.get("tenants").get("overridden").asInt()).isEqualTo(1);
        // Never flapping: after a full resync the same owner and no new copy status.
        int statusesBefore = kafka.statuses("sel-c/*team-s3").size();
        resync();
        assertThat(kafka.statuses("sel-c/*team-s3")).hasSize(statusesBefore);
        assertThat(client.secrets().inNamespace("sel-c").withName("team-s3").get().getMetadata().getLabels())
                .containsEntry(ManagedLabels.GRANT, "own-s3");

        // The tenant's grant goes: the selector grant's copy comes back.
        kafka.revoke("sel-c/own-s3");
        kafka.awaitStatus("sel-c/own-s3", "Revoked", "Revoked");
        kafka.awaitStatus("sel-c/*team-s3", "Applied", "Applied");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(decode(client.secrets()
                .inNamespace("sel-c").withName("team-s3").get().getData().get("token"))).isEqualTo(CANARY));

        // Two selector grants with the same Secret name: the smaller name wins, in every tenant both select.
        ObjectNode aaa = selectorGrant("aaa-s3", 1, "{\"matchLabels\":{\"team\":\"ml\"}}");
        ((ObjectNode) aaa.get("spec").get("secret")).put("name", "team-s3");
        ((ObjectNode) aaa.get("spec").get("secret").get("source").get("secretRef")).put("name", "team-s3");
        postSelector(aaa);
        assertThat(kafka.awaitStatus("sel-c/*team-s3", "Rejected", "Overridden").get("message").asText())
                .contains("selector grant */aaa-s3");
        kafka.awaitStatus("sel-c/*aaa-s3", "Applied", "Applied");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.secrets().inNamespace("sel-c")
                .withName("team-s3").get().getMetadata().getLabels())
                .containsEntry(ManagedLabels.SELECTOR_GRANT, "aaa-s3"));
        kafka.revoke("*/aaa-s3");
        kafka.awaitStatus("*/aaa-s3", "Revoked", null);
        kafka.awaitStatus("sel-c/*aaa-s3", "Revoked", "Revoked");
        kafka.awaitStatus("sel-c/*team-s3", "Applied", "Applied");

        // Revoking the selector grant removes every copy.
        kafka.revoke("*/team-s3");
        kafka.awaitStatus("*/team-s3", "Revoked", null);
        kafka.awaitStatus("sel-c/*team-s3", "Revoked", "Revoked");
        for (String tenant : List.of("sel-a", "sel-b", "sel-c")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(managedIn(tenant))
                    .as("managed objects in %s", tenant).isEmpty());
        }
    }

    @Test
    void aSelectorGrantOverAThousandTenantsConvergesInEveryOne() {
        int tenants = 1_000;
        source(client, "fleet", Map.of("token", CANARY));
        List<String> names = IntStream.range(0, tenants).mapToObj(i -> String.format("fleet-%04d", i)).toList();
        names.forEach(name -> tenantNamespace(client, name, withProfile(Map.of("fleet", "yes"))));
        names.forEach(kafka::tenantRecord);
        postSelector(selectorGrant("fleet", 1, "{\"matchExpressions\":[{\"key\":\"fleet\",\"operator\":\"Exists\"}]}"));

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            List<JsonNode> all = kafka.statuses("*/fleet");
            return !all.isEmpty() && all.get(all.size() - 1).get("tenants").get("applied").asInt() == tenants;
        });
        JsonNode summary = kafka.awaitStatus("*/fleet", "Applied", "Applied");
        assertThat(summary.get("tenants").get("selected").asInt()).isEqualTo(tenants);
        // Every tenant converged: its Secret with the value and its PodDefault, labelled as the selector grant's.
        Map<String, Secret> secrets = new HashMap<>();
        client.secrets().inAnyNamespace().withLabel(ManagedLabels.SELECTOR_GRANT, "fleet").list().getItems()
                .forEach(s -> secrets.put(s.getMetadata().getNamespace(), s));
        Map<String, PodDefault> podDefaults = new HashMap<>();
        client.resources(PodDefault.class).inAnyNamespace().withLabel(ManagedLabels.SELECTOR_GRANT, "fleet").list()
                .getItems().forEach(pd -> podDefaults.put(pd.getMetadata().getNamespace(), pd));
        for (String name : names) {
            assertThat(secrets).as("Secret in %s", name).containsKey(name);
            assertThat(decode(secrets.get(name).getData().get("token"))).isEqualTo(CANARY);
            assertThat(podDefaults).as("PodDefault in %s", name).containsKey(name);
        }
        assertThat(secrets).hasSize(tenants);
        assertThat(podDefaults).hasSize(tenants);
    }

    private static Map<String, String> withProfile(Map<String, String> labels) {
        Map<String, String> all = new HashMap<>(labels);
        all.putAll(PROFILE_LABELS);
        return all;
    }

    /** Waits for the selector grant's status to count {@code selected} tenants, {@code applied} of them applied. */
    private JsonNode awaitCounts(String name, int selected, int applied) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<JsonNode> all = kafka.statuses("*/" + name);
            if (all.isEmpty() || all.get(all.size() - 1).get("tenants") == null) {
                return false;
            }
            JsonNode counts = all.get(all.size() - 1).get("tenants");
            return counts.get("selected").asInt() == selected && counts.get("applied").asInt() == applied;
        });
        List<JsonNode> all = kafka.statuses("*/" + name);
        return all.get(all.size() - 1);
    }

    private void resync() {
        GrantReconciler reconciler = io.quarkus.arc.Arc.container().instance(GrantReconciler.class).get();
        long resyncs = reconciler.resyncsCompleted();
        reconciler.resyncWhenReady();
        await().atMost(Duration.ofSeconds(60)).until(() -> reconciler.resyncsCompleted() > resyncs
                && reconciler.idle());
    }

    private List<io.fabric8.kubernetes.api.model.HasMetadata> managedIn(String namespace) {
        List<io.fabric8.kubernetes.api.model.HasMetadata> objects = new java.util.ArrayList<>(client.secrets()
                .inNamespace(namespace).withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).list()
                .getItems());
        objects.addAll(client.resources(PodDefault.class).inNamespace(namespace)
                .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).list().getItems());
        return objects;
    }
}
