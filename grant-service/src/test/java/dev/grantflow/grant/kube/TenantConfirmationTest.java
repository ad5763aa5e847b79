package dev.grantflow.grant.kube;

import static dev.grantflow.grant.kube.GrantTestSupport.PROFILE_LABELS;
import static dev.grantflow.grant.kube.GrantTestSupport.decode;
import static dev.grantflow.grant.kube.GrantTestSupport.grant;
import static dev.grantflow.grant.kube.GrantTestSupport.source;
import static dev.grantflow.grant.kube.GrantTestSupport.tenantNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.grant.domain.ManagedLabels;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forged tenant records: the tenants topic announces namespaces that do not exist, exist without the tenant label,
 * are terminating, or are protected (kube-system labelled as a tenant, grant-service's own namespace). Grants posted
 * for them write nothing there; the statuses say why. Only grant-service's own Namespace informer makes a tenant:
 * labelling the namespace applies the grant, removing the label (or deleting the namespace) collects the copies.
 * A watch on managed Secrets records every one ever created, so that "nothing written" is not only a final state.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class TenantConfirmationTest {

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

    @Test
    void forgedTenantRecordsWriteNothingUntilTheNamespaceIsConfirmed() {
        // grant-service's own namespace: the pod's (POD_NAMESPACE), else its Kubernetes client's.
        String own = Optional.ofNullable(System.getenv("POD_NAMESPACE")).orElse(client.getNamespace());
        assertThat(own).as("the client's namespace").isNotBlank();
        source(client, "forged", Map.of("token", CANARY));
        tenantNamespace(client, "plain", Map.of("team", "plain"));
        tenantNamespace(client, "kube-system", PROFILE_LABELS);
        tenantNamespace(client, own, PROFILE_LABELS);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("leaving")
                .withLabels(PROFILE_LABELS).endMetadata().withNewStatus().withPhase("Terminating").endStatus().build())
                .create();
        List<String> forged = List.of("ghost", "plain", "leaving", "kube-system", own);

        Queue<String> created = new ConcurrentLinkedQueue<>();
        try (Watch watch = managedSecretsCreated(forged, created)) {
            for (String tenant : forged) {
                kafka.tenantRecord(tenant);
                kafka.post(grant(tenant, "forged", 1));
            }

            assertThat(kafka.awaitStatus("ghost/forged", "Pending", "TenantUnconfirmed").get("message").asText())
                    .contains("tenant 'ghost' is announced on the tenants topic but not confirmed: namespace 'ghost' "
                            + "does not exist; nothing is written");
            assertThat(kafka.awaitStatus("plain/forged", "Pending", "TenantUnconfirmed").get("message").asText())
                    .contains("namespace 'plain' is not labelled as a tenant (selector "
                            + "'app.kubernetes.io/part-of=kubeflow-profile')");
            assertThat(kafka.awaitStatus("leaving/forged", "Pending", "TenantUnconfirmed").get("message").asText())
                    .contains("namespace 'leaving' is terminating");
            assertThat(kafka.awaitStatus("kube-system/forged", "Rejected", "ProtectedNamespace").get("message")
                    .asText()).contains("namespace 'kube-system' is protected (a Kubernetes system namespace)");
            assertThat(kafka.awaitStatus(own + "/forged", "Rejected", "ProtectedNamespace").get("message").asText())
                    .contains("namespace '" + own + "' is protected (grant-service's own namespace)");
            for (String tenant : forged) {
                assertThat(managedIn(tenant)).as("managed objects in %s", tenant).isEmpty();
            }

            // The namespace gets the tenant label (Kubeflow made it a profile): the grant is applied.
            tenantNamespace(client, "plain", Map.of("team", "plain", "app.kubernetes.io/part-of", "kubeflow-profile"));
            kafka.awaitStatus("plain/forged", "Applied", "Applied");
            assertThat(decode(client.secrets().inNamespace("plain").withName("forged").get().getData().get("token")))
                    .isEqualTo(CANARY);
            assertThat(client.resources(PodDefault.class).inNamespace("plain").withName("forged").get()).isNotNull();

            // The label goes again: no longer a tenant, whatever the topic says; the copies are collected.
            tenantNamespace(client, "plain", Map.of("team", "plain"));
            JsonNode unlabelled = kafka.awaitStatus("plain/forged", "Pending", "TenantUnconfirmed");
            assertThat(unlabelled.get("message").asText()).contains("is not labelled as a tenant")
                    .contains("deleted");
            assertThat(managedIn("plain")).isEmpty();

            // A namespace that appears with the label is a tenant; deleted, its copies go (the mock keeps them).
            tenantNamespace(client, "ghost", PROFILE_LABELS);
            kafka.awaitStatus("ghost/forged", "Applied", "Applied");
            client.namespaces().withName("ghost").delete();
            assertThat(kafka.awaitStatus("ghost/forged", "Pending", "TenantUnconfirmed").get("message").asText())
                    .contains("namespace 'ghost' does not exist");
            assertThat(managedIn("ghost")).isEmpty();

            // The protected ones stay untouched, also after a full resync.
            long resyncs = reconciler().resyncsCompleted();
            reconciler().resyncWhenReady();
            await().atMost(Duration.ofSeconds(30)).until(() -> reconciler().resyncsCompleted() > resyncs);
            assertThat(created).as("namespaces of the forged records a managed Secret was ever created in")
                    .containsOnly("plain", "ghost").contains("plain", "ghost");
        }
        for (String tenant : List.of("kube-system", own, "leaving")) {
            assertThat(managedIn(tenant)).as("managed objects in %s", tenant).isEmpty();
        }
    }

    /** Copies already in a protected namespace (written there before this check existed) are never deleted. */
    @Test
    void copiesInAProtectedNamespaceAreLeftInPlaceEvenWhenRevoked() {
        tenantNamespace(client, "kube-public", PROFILE_LABELS);
        Secret planted = client.secrets().inNamespace("kube-public").resource(new io.fabric8.kubernetes.api.model
                .SecretBuilder().withNewMetadata().withName("old-copy").withNamespace("kube-public")
                .addToLabels(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                .addToLabels(ManagedLabels.GRANT, "old-copy").addToAnnotations(ManagedLabels.GENERATION, "1")
                .endMetadata().withData(Map.of("k", "dg==")).build()).create();
        kafka.tenantRecord("kube-public");
        kafka.revoke("kube-public/old-copy");

        assertThat(kafka.awaitStatus("kube-public/old-copy", "Rejected", "ProtectedNamespace").get("message")
                .asText()).contains("1 object(s) of this grant found there are left in place");
        // The status is published after the plan's writes: had it deleted anything, it would be gone by now.
        assertThat(client.secrets().inNamespace("kube-public").withName("old-copy").get().getMetadata().getUid())
                .isEqualTo(planted.getMetadata().getUid());
    }

    @Test
    void readinessWaitsForTheNamespaceInformer() {
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'grant-service' }.data.namespacesSynced", Matchers.is(true));
    }

    /** Records the namespace of every managed Secret created in one of {@code watched}. */
    private Watch managedSecretsCreated(List<String> watched, Queue<String> namespaces) {
        return client.secrets().inAnyNamespace().withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Secret secret) {
                        if (action == Action.ADDED && watched.contains(secret.getMetadata().getNamespace())) {
                            namespaces.add(secret.getMetadata().getNamespace());
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
    }

    private List<HasMetadata> managedIn(String namespace) {
        List<HasMetadata> objects = new java.util.ArrayList<>(client.secrets().inNamespace(namespace)
                .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).list().getItems());
        objects.addAll(client.resources(PodDefault.class).inNamespace(namespace)
                .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).list().getItems());
        return objects;
    }

    private static GrantReconciler reconciler() {
        return io.quarkus.arc.Arc.container().instance(GrantReconciler.class).get();
    }
}
