package dev.grantflow.grant.kube;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.json.Json;
import dev.grantflow.grant.domain.TenantCheck;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.arc.Arc;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Posting grants and tenant events to the real broker, and reading statuses back, for the grant-service tests. */
final class GrantTestSupport implements AutoCloseable {

    static final String SOURCES = "grantflow-sources";
    /** The tenant label namespace-watcher and grant-service select by default. */
    static final Map<String, String> PROFILE_LABELS = Map.of("app.kubernetes.io/part-of", "kubeflow-profile");

    final KafkaCompanion companion;
    final ConsumerTask<String, String> statuses;
    final ConsumerTask<String, String> dlq;

    GrantTestSupport(String bootstrapServers) {
        companion = new KafkaCompanion(bootstrapServers);
        statuses = companion.consumeStrings().fromTopics(Topics.GRANT_STATUS);
        dlq = companion.consumeStrings().fromTopics(Topics.GRANTS_DLQ);
    }

    /**
     * The seed grant fixture with tenant, name and generation replaced; the secret, its source, the PodDefault and the
     * selector label all take the grant's name.
     */
    static ObjectNode grant(String tenant, String name, long generation) {
        ObjectNode grant = (ObjectNode) Fixtures.tree("grant/v1-secret-ref.json");
        ObjectNode metadata = (ObjectNode) grant.get("metadata");
        metadata.put("tenant", tenant).put("name", name).put("generation", generation)
                .put("issuedAt", Instant.now().minusSeconds(60).toString());
        ObjectNode spec = (ObjectNode) grant.get("spec");
        ((ObjectNode) spec.get("secret")).put("name", name);
        ((ObjectNode) spec.get("secret").get("source").get("secretRef")).put("name", name);
        ObjectNode podDefault = (ObjectNode) spec.get("podDefault");
        podDefault.put("name", name).put("desc", name).put("selectorLabel", name).put("mountPath", "/secret/" + name);
        return grant;
    }

    static ObjectNode grant(String tenant, String name, long generation, Consumer<ObjectNode> customize) {
        ObjectNode grant = grant(tenant, name, generation);
        customize.accept(grant);
        return grant;
    }

    void post(JsonNode grant) {
        String key = grant.get("metadata").get("tenant").asText() + "/" + grant.get("metadata").get("name").asText();
        postRaw(key, grant.toString());
    }

    void postRaw(String key, String value) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.GRANTS, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    /** With a W3C trace context, as a producer instrumented with OpenTelemetry sends it. */
    void post(JsonNode grant, String traceparent) {
        String key = grant.get("metadata").get("tenant").asText() + "/" + grant.get("metadata").get("name").asText();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GRANTS, key, grant.toString());
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        companion.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30));
    }

    /** The {@code traceparent} header of the latest status record of {@code key}, or null. */
    String latestStatusTraceparent(String key) {
        List<ConsumerRecord<String, String>> of = statuses.getRecords().stream()
                .filter(r -> key.equals(r.key()) && r.value() != null).toList();
        if (of.isEmpty()) {
            return null;
        }
        var header = of.get(of.size() - 1).headers().lastHeader("traceparent");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Into an explicit partition, as a producer with another partitioner than Java's (librdkafka, a custom one). */
    void postRaw(String key, String value, int partition) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.GRANTS, partition, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    void revoke(String key) {
        postRaw(key, null);
    }

    /**
     * A tenant as namespace-watcher and Kubeflow make it: the namespace exists with the profile label (created, or
     * labelled when it exists), grant-service's own Namespace informer confirms it, then the tenant record is posted.
     */
    void tenantCreated(KubernetesClient client, String tenant) {
        tenantNamespace(client, tenant, PROFILE_LABELS);
        await().atMost(Duration.ofSeconds(30)).until(() -> tenantCheck(tenant).confirmed());
        tenantRecord(tenant);
    }

    /** Only the record on the tenants topic, as anyone able to write to the topic could post it. */
    void tenantRecord(String tenant) {
        String event = Json.write(Map.of("type", "created", "tenant", tenant, "labels", PROFILE_LABELS,
                "observedAt", Instant.now().toString()));
        companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.TENANTS, tenant, event))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    /** Creates the namespace with exactly these labels, or sets them on the existing one. */
    static void tenantNamespace(KubernetesClient client, String name, Map<String, String> labels) {
        if (client.namespaces().withName(name).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                    .endMetadata().withNewStatus().withPhase("Active").endStatus().build()).create();
        } else {
            client.namespaces().withName(name).edit(ns -> {
                ns.getMetadata().setLabels(new java.util.HashMap<>(labels));
                return ns;
            });
        }
    }

    /** What the running grant-service's Namespace informer says about {@code tenant} now. */
    static TenantCheck tenantCheck(String tenant) {
        return Arc.container().instance(TenantNamespacesWatch.class).get().check(tenant);
    }

    void tenantGone(String tenant) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.TENANTS, tenant, (String) null))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    static void source(KubernetesClient client, String name, Map<String, String> plainData) {
        source(client, name, "Opaque", plainData);
    }

    static void source(KubernetesClient client, String name, String type, Map<String, String> plainData) {
        client.secrets().inNamespace(SOURCES).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(SOURCES).endMetadata().withType(type).withData(base64(plainData)).build())
                .createOr(existing -> existing.update());
    }

    static Map<String, String> base64(Map<String, String> plain) {
        return plain.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8))));
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    List<JsonNode> statuses(String key) {
        return statuses.getRecords().stream().filter(r -> key.equals(r.key()) && r.value() != null)
                .map(r -> Json.readTree(r.value())).toList();
    }

    /** Waits for the latest status of {@code key} to have {@code phase} (and {@code reason} when not null). */
    JsonNode awaitStatus(String key, String phase, String reason) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<JsonNode> all = statuses(key);
            if (all.isEmpty()) {
                return false;
            }
            JsonNode last = all.get(all.size() - 1);
            return phase.equals(last.get("phase").asText())
                    && (reason == null || reason.equals(last.get("reason").asText()));
        });
        List<JsonNode> all = statuses(key);
        return all.get(all.size() - 1);
    }

    List<ConsumerRecord<String, String>> allStatusRecords() {
        return statuses.getRecords();
    }

    /**
     * Asserts that no status record and no line of the service's test log contains any of {@code values} (the
     * planted canaries, plain and base64), then closes.
     */
    void closeCheckingNothingLeaked(String... values) throws java.io.IOException {
        try {
            String log = java.nio.file.Files.readString(java.nio.file.Path.of("target/grant-service-test.log"));
            for (String value : values) {
                for (ConsumerRecord<String, String> record : allStatusRecords()) {
                    org.assertj.core.api.Assertions.assertThat(String.valueOf(record.value())).doesNotContain(value);
                }
                org.assertj.core.api.Assertions.assertThat(log).doesNotContain(value);
            }
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        statuses.stop();
        dlq.stop();
        companion.close();
    }
}
