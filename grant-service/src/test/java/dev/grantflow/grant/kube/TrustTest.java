package dev.grantflow.grant.kube;

import static dev.grantflow.grant.kube.GrantTestSupport.decode;
import static dev.grantflow.grant.kube.GrantTestSupport.grant;
import static dev.grantflow.grant.kube.GrantTestSupport.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.grant.domain.VerificationReceipts;
import dev.grantflow.grant.kafka.StatusTopicReader;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantMetadata;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.testing.KafkaBrokerResource;
import dev.grantflow.trust.KeyPairs;
import dev.grantflow.trust.KeySets;
import dev.grantflow.trust.SealBinding;
import dev.grantflow.trust.Sealing;
import dev.grantflow.trust.Signatures;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * grant-service in the production trust setting (signatures required), against the real broker and the CRUD mock API:
 * signed grants apply, every forged, tampered, replayed or unsigned record is refused with its reason and disturbs
 * nothing else, a bare tombstone revokes nothing, a signed revocation does. Every record's decision lands on the audit
 * topic. A canary value, sealed, appears only inside the tenant's Secret.
 */
@QuarkusTest
@TestProfile(TrustTest.Production.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class TrustTest {

    static final String CANARY = "canary-" + UUID.randomUUID();
    static final String CANARY_B64 = Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8));

    static final PublicJsonWebKey ADMIN = KeyPairs.signing("admin-1", List.of());
    static final PublicJsonWebKey TEAM_A = KeyPairs.signing("team-a", List.of("tina"));
    static final PublicJsonWebKey STRANGER = KeyPairs.signing("stranger", List.of());
    static final PublicJsonWebKey SEALING_CURRENT = KeyPairs.sealing("sealing-2");
    static final PublicJsonWebKey SEALING_PREVIOUS = KeyPairs.sealing("sealing-1");
    static final PublicJsonWebKey SEALING_UNKNOWN = KeyPairs.sealing("sealing-elsewhere");

    /** Signatures required, administrator keys and two sealing keys from files, as in production. */
    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                // Under the build's output (removed by `mvn clean`), not the machine's /tmp: the sealing file holds
                // private keys, and a profile's overrides are made at every start of the application.
                Files.createDirectories(Path.of("target"));
                Path dir = Files.createTempDirectory(Path.of("target"), "trust-test-keys");
                Path admins = Files.writeString(dir.resolve("admins.jwks.json"),
                        KeySets.publicJson(List.of(ADMIN, TEAM_A)));
                Path sealing = Files.writeString(dir.resolve("sealing.jwks.json"),
                        KeySets.privateJson(List.of(SEALING_CURRENT, SEALING_PREVIOUS)));
                return Map.of("grantflow.trust.signatures", "required",
                        "grantflow.trust.admin-keys", admins.toString(),
                        "grantflow.trust.sealing-keys", sealing.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static GrantTestSupport kafka;
    static ConsumerTask<String, String> audit;

    @Inject
    KubernetesClient client;

    @Inject
    VerificationReceipts receipts;

    @Inject
    StatusTopicReader statusReader;

    @BeforeAll
    static void connect() {
        kafka = new GrantTestSupport(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        audit = kafka.companion.consumeStrings().fromTopics(Topics.AUDIT);
    }

    @AfterAll
    static void theCanaryAppearsNowhereButInTheTenantsSecret() throws IOException {
        try {
            for (ConsumerTask<String, String> task : List.of(kafka.statuses, kafka.dlq, audit)) {
                for (ConsumerRecord<String, String> record : task.getRecords()) {
                    assertThat(String.valueOf(record.value())).doesNotContain(CANARY).doesNotContain(CANARY_B64);
                    record.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8))
                            .doesNotContain(CANARY).doesNotContain(CANARY_B64));
                }
            }
            String log = Files.readString(Path.of("target/grant-service-test.log"));
            assertThat(log).contains("refused").doesNotContain(CANARY).doesNotContain(CANARY_B64);
        } finally {
            audit.stop();
            kafka.close();
        }
    }

    @Test
    void aSignedGrantAppliesAndForgedRecordsForItsKeyDisturbNothing() {
        source(client, "db", Map.of("password", "not-the-canary"));
        kafka.tenantCreated(client, "alice");
        post(grant("alice", "db", 1), ADMIN);
        kafka.awaitStatus("alice/db", "Applied", "Applied");

        // Unsigned, signed by an unknown key, signed over other bytes: each refused (audited), none replaces gen 1.
        postSigned("alice/db", grant("alice", "db", 5).toString(), null);
        postSigned("alice/db", grant("alice", "db", 6).toString(), Signatures.sign(STRANGER,
                grant("alice", "db", 6).toString().getBytes(StandardCharsets.UTF_8)));
        postSigned("alice/db", grant("alice", "db", 7).toString(), Signatures.sign(ADMIN,
                grant("alice", "db", 1).toString().getBytes(StandardCharsets.UTF_8)));
        awaitAudit("alice/db", 7, "Rejected", "SignatureInvalid");
        assertThat(auditOf("alice/db")).extracting(e -> e.path("reason").asText())
                .contains("SignatureMissing", "SignerUnknown", "SignatureInvalid");
        assertThat(latestStatus("alice/db").get("phase").asText()).isEqualTo("Applied");
        assertThat(latestStatus("alice/db").get("generation").asLong()).isEqualTo(1);
        assertThat(client.secrets().inNamespace("alice").withName("db").get()).isNotNull();
    }

    @Test
    void theStatusOfAVerifiedGrantCarriesAReceiptForExactlyThatRecord() {
        SignedGrant applied = applySigned("rhea", "receipted");
        String value = applied.value();
        String signature = applied.signature();
        List<ConsumerRecord<String, String>> statuses = kafka.statuses.getRecords().stream()
                .filter(r -> "rhea/receipted".equals(r.key())).toList();
        assertThat(statuses).isNotEmpty().allSatisfy(status -> {
            org.apache.kafka.common.header.Header header = status.headers().lastHeader(VerificationReceipts.HEADER);
            assertThat(header).as("the receipt header").isNotNull();
            VerificationReceipts.Receipt receipt = VerificationReceipts.Receipt.parse(new String(header.value(),
                    StandardCharsets.UTF_8)).orElseThrow();
            assertThat(receipt.kid()).isEqualTo("admin-1");
            assertThat(receipts.matches(receipt, value.getBytes(StandardCharsets.UTF_8), signature, "rhea")).isTrue();
            assertThat(receipts.matches(receipt, value.getBytes(StandardCharsets.UTF_8), signature, "alice")).isFalse();
        });
        // A refused record's status carries none: nothing was verified.
        kafka.tenantCreated(client, "rufus");
        postSigned("rufus/forged", grant("rufus", "forged", 1).toString(), Signatures.sign(STRANGER,
                grant("rufus", "forged", 1).toString().getBytes(StandardCharsets.UTF_8)));
        kafka.awaitStatus("rufus/forged", "Rejected", "SignerUnknown");
        assertThat(kafka.statuses.getRecords().stream().filter(r -> "rufus/forged".equals(r.key())))
                .allSatisfy(r -> assertThat(r.headers().lastHeader(VerificationReceipts.HEADER)).isNull());
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("grantflow_signature_checks_total\\{by=\"key\"[^}]*} [1-9]");
    }

    @Test
    void twoStartReadsAtOnceBothGetTheLatestStatusesAndTheLatestReceipts() throws Exception {
        SignedGrant applied = applySigned("stella", "started");
        String value = applied.value();
        String signature = applied.signature();
        // Written straight to the status topic: a receipt whose key's last record is a tombstone; a receipt on a value
        // that is no status; a status with a receipt, then one without.
        String receipt = new VerificationReceipts.Receipt("admin-1", 1, 2).format();
        String status = kafka.statuses.getRecords().stream().filter(r -> "stella/started".equals(r.key()))
                .reduce((first, second) -> second).orElseThrow().value();
        publishStatus("stone/gone", status, receipt);
        publishStatus("stone/gone", null, null);
        publishStatus("junk/value", "not a status", receipt);
        publishStatus("dropped/receipt", status, receipt);
        publishStatus("dropped/receipt", status, null);

        // Two readers at once, as the status seed and the grants view at a start: both get the same content.
        CompletableFuture<StatusTopicReader.Published> other = CompletableFuture.supplyAsync(
                () -> statusReader.atStart(Duration.ofSeconds(30)));
        StatusTopicReader.Published published = statusReader.atStart(Duration.ofSeconds(30));
        StatusTopicReader.Published shared = other.get(60, TimeUnit.SECONDS);

        GrantKey started = GrantKey.parse("stella/started").orElseThrow();
        GrantStatus latest = statusReader.latest(Duration.ofSeconds(30)).get(started);
        for (StatusTopicReader.Published read : List.of(published, shared)) {
            assertThat(read.statuses()).containsKey(started)
                    .doesNotContainKeys(key("stone/gone"), key("junk/value")).containsKey(key("dropped/receipt"));
            assertThat(read.statuses()).containsAllEntriesOf(Map.of(started, latest));
            assertThat(read.receipts().get(started)).as("the receipt of the verified grant's status").isNotNull()
                    .satisfies(r -> assertThat(receipts.matches(r, value.getBytes(StandardCharsets.UTF_8), signature,
                            "stella")).isTrue());
            assertThat(read.receipts()).containsEntry(key("junk/value"),
                    VerificationReceipts.Receipt.parse(receipt).orElseThrow())
                    .doesNotContainKeys(key("stone/gone"), key("dropped/receipt"));
        }
    }

    /** A grant's value and the administrator's signature over it. */
    private record SignedGrant(String value, String signature) {
    }

    /** A grant of a new source (one key) for a new tenant, signed by the administrator, posted, and applied. */
    private SignedGrant applySigned(String tenant, String name) {
        source(client, name, Map.of("k", "v"));
        kafka.tenantCreated(client, tenant);
        String value = grant(tenant, name, 1).toString();
        String signature = Signatures.sign(ADMIN, value.getBytes(StandardCharsets.UTF_8));
        postSigned(tenant + "/" + name, value, signature);
        kafka.awaitStatus(tenant + "/" + name, "Applied", "Applied");
        return new SignedGrant(value, signature);
    }

    private static GrantKey key(String text) {
        return GrantKey.parse(text).orElseThrow();
    }

    private static void publishStatus(String key, String value, String receipt) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GRANT_STATUS, key, value);
        if (receipt != null) {
            record.headers().add(VerificationReceipts.HEADER, receipt.getBytes(StandardCharsets.UTF_8));
        }
        kafka.companion.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30));
    }

    @Test
    void anUnsignedGrantForANewKeyIsRejectedWithItsReason() {
        kafka.tenantCreated(client, "uma");
        postSigned("uma/unsigned", grant("uma", "unsigned", 1).toString(), null);
        JsonNode status = kafka.awaitStatus("uma/unsigned", "Rejected", "SignatureMissing");
        assertThat(status.get("message").asText()).contains("grantflow-signature");
        assertThat(client.secrets().inNamespace("uma").withName("unsigned").get()).isNull();
    }

    @Test
    void aScopedKeyGrantsToItsTenantsOnly() {
        source(client, "scoped", Map.of("k", "v"));
        kafka.tenantCreated(client, "tina");
        kafka.tenantCreated(client, "vera");
        post(grant("tina", "scoped", 1), TEAM_A);
        post(grant("vera", "scoped", 1), TEAM_A);
        kafka.awaitStatus("tina/scoped", "Applied", "Applied");
        JsonNode refused = kafka.awaitStatus("vera/scoped", "Rejected", "SignerOutOfScope");
        assertThat(refused.get("message").asText()).contains("team-a").contains("vera");
        assertThat(client.secrets().inNamespace("vera").withName("scoped").get()).isNull();
    }

    @Test
    void sealedValuesOpenOnlyForTheirTenantGrantAndKeyAndWithAKeyThisServiceHolds() {
        kafka.tenantCreated(client, "sam");
        post(sealedGrant("sam", "token", 1, Map.of("token", seal(SEALING_CURRENT, "sam", "token", "token"))), ADMIN);
        kafka.awaitStatus("sam/token", "Applied", "Applied");
        Secret secret = client.secrets().inNamespace("sam").withName("token").get();
        assertThat(decode(secret.getData().get("token"))).isEqualTo(CANARY);
        assertThat(secret.getMetadata().getAnnotations().get("grantflow.dev/content-hash")).startsWith("hmac-sha256:");

        // Sealed to the previous key: still opens (rotation without re-sealing everything).
        post(sealedGrant("sam", "old-key", 1, Map.of("token", seal(SEALING_PREVIOUS, "sam", "old-key", "token"))),
                ADMIN);
        kafka.awaitStatus("sam/old-key", "Applied", "Applied");

        // alice's ciphertext replayed into another grant and another tenant.
        String forAlice = seal(SEALING_CURRENT, "alice", "token", "token");
        post(sealedGrant("sam", "replayed", 1, Map.of("token", forAlice)), ADMIN);
        JsonNode mismatch = kafka.awaitStatus("sam/replayed", "Rejected", "KeyMismatch");
        assertThat(mismatch.get("message").asText()).contains("'token'").contains("alice/token");

        String[] parts = seal(SEALING_CURRENT, "sam", "tampered", "token").split("\\.");
        byte[] ciphertext = Base64.getUrlDecoder().decode(parts[3]);
        ciphertext[0] ^= 1;
        parts[3] = Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext);
        post(sealedGrant("sam", "tampered", 1, Map.of("token", String.join(".", parts))), ADMIN);
        kafka.awaitStatus("sam/tampered", "Rejected", "SealedDataInvalid");

        post(sealedGrant("sam", "unknown-kid", 1, Map.of("token", seal(SEALING_UNKNOWN, "sam", "unknown-kid",
                "token"))), ADMIN);
        JsonNode unknown = kafka.awaitStatus("sam/unknown-kid", "Rejected", "SealedDataInvalid");
        assertThat(unknown.get("message").asText()).contains("sealing-elsewhere");
        for (String name : List.of("replayed", "tampered", "unknown-kid")) {
            assertThat(client.secrets().inNamespace("sam").withName(name).get()).isNull();
        }
    }

    @Test
    void aBareTombstoneRevokesNothingASignedRevocationDoesAndAReplayStaysRevoked() {
        source(client, "revocable", Map.of("k", "v"));
        kafka.tenantCreated(client, "rita");
        ObjectNode generation1 = grant("rita", "revocable", 1);
        post(generation1, ADMIN);
        kafka.awaitStatus("rita/revocable", "Applied", "Applied");

        kafka.revoke("rita/revocable");
        awaitAudit("rita/revocable", 0, "Ignored", "SignatureMissing");
        assertThat(client.secrets().inNamespace("rita").withName("revocable").get()).isNotNull();
        assertThat(latestStatus("rita/revocable").get("phase").asText()).isEqualTo("Applied");

        postSigned("rita/revocable", revocation("rita", "revocable", 2), null);
        awaitAudit("rita/revocable", 2, "Rejected", "SignatureMissing");
        assertThat(client.secrets().inNamespace("rita").withName("revocable").get()).isNotNull();

        String revocation = revocation("rita", "revocable", 2);
        postSigned("rita/revocable", revocation, Signatures.sign(ADMIN, revocation.getBytes(StandardCharsets.UTF_8)));
        JsonNode revoked = kafka.awaitStatus("rita/revocable", "Revoked", "Revoked");
        assertThat(revoked.get("generation").asLong()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.secrets().inNamespace("rita").withName("revocable").get() == null
                        && client.resources(PodDefault.class).inNamespace("rita").withName("revocable").get() == null);

        // The old, validly signed grant played again: audited as authentic, but it never comes back.
        post(generation1, ADMIN);
        await().atMost(Duration.ofSeconds(30)).until(() -> auditOf("rita/revocable").stream()
                .filter(e -> e.get("decision").asText().equals("Accepted")).count() == 2);
        assertThat(latestStatus("rita/revocable").get("phase").asText()).isEqualTo("Revoked");
        assertThat(client.secrets().inNamespace("rita").withName("revocable").get()).isNull();

        // A new generation is a new grant.
        post(grant("rita", "revocable", 3), ADMIN);
        kafka.awaitStatus("rita/revocable", "Applied", "Applied");
    }

    @Test
    void everyDecisionIsAuditedWithASignatureThatVerifiesAgainAndADigestNeverAValue() {
        kafka.tenantCreated(client, "ava");
        post(sealedGrant("ava", "audited", 1, Map.of("token", seal(SEALING_CURRENT, "ava", "audited", "token"))),
                ADMIN);
        kafka.awaitStatus("ava/audited", "Applied", "Applied");
        JsonNode entry = awaitAudit("ava/audited", 1, "Accepted", null);
        assertThat(entry.get("signer").asText()).isEqualTo("admin-1");
        assertThat(entry.get("digest").asText()).startsWith("hmac-sha256:");
        byte[] record = Base64.getDecoder().decode(entry.get("record").asText());
        Signatures admins = new Signatures(KeySets.parse(KeySets.publicJson(List.of(ADMIN)), "test"));
        assertThat(admins.verify(record, entry.get("signature").asText(), "ava"))
                .isEqualTo(new Signatures.Verified("admin-1"));
    }

    @Test
    void theSealingKeysAreServedAsAPublicKeySet() {
        String jwks = RestAssured.get("/sealing-keys").then().statusCode(200)
                .contentType("application/jwk-set+json").extract().asString();
        assertThat(KeySets.parse(jwks, "served")).extracting(PublicJsonWebKey::getKeyId)
                .containsExactly("sealing-2", "sealing-1");
        assertThat(Json.readTree(jwks).get("keys")).allSatisfy(key -> {
            assertThat(key.has("d")).isFalse();
            assertThat(key.has("p")).isFalse();
        });
    }

    static ObjectNode sealedGrant(String tenant, String name, long generation, Map<String, String> sealed) {
        return grant(tenant, name, generation, g -> {
            ObjectNode source = (ObjectNode) g.get("spec").get("secret").get("source");
            source.remove("secretRef");
            ObjectNode data = source.putObject("sealedData");
            sealed.forEach(data::put);
        });
    }

    static String seal(PublicJsonWebKey key, String tenant, String grant, String secretKey) {
        PublicJsonWebKey publicOnly = KeySets.parse(KeySets.publicJson(List.of(key)), "test").get(0);
        return Sealing.seal(publicOnly, new SealBinding(tenant, grant, secretKey),
                CANARY.getBytes(StandardCharsets.UTF_8));
    }

    static String revocation(String tenant, String name, long generation) {
        return Json.write(GrantRevocation.of(new GrantMetadata(tenant, name, generation, Instant.now(), "admin@x")));
    }

    static void post(ObjectNode grant, PublicJsonWebKey signer) {
        String value = grant.toString();
        String key = grant.get("metadata").get("tenant").asText() + "/" + grant.get("metadata").get("name").asText();
        postSigned(key, value, Signatures.sign(signer, value.getBytes(StandardCharsets.UTF_8)));
    }

    static void postSigned(String key, String value, String signature) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GRANTS, key, value);
        if (signature != null) {
            record.headers().add(Signatures.HEADER, signature.getBytes(StandardCharsets.UTF_8));
        }
        kafka.companion.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30));
    }

    static List<JsonNode> auditOf(String key) {
        return audit.getRecords().stream().filter(r -> key.equals(r.key())).map(r -> Json.readTree(r.value()))
                .toList();
    }

    static JsonNode awaitAudit(String key, long generation, String decision, String reason) {
        await().atMost(Duration.ofSeconds(30)).until(() -> auditOf(key).stream().anyMatch(e -> matches(e, generation,
                decision, reason)));
        return auditOf(key).stream().filter(e -> matches(e, generation, decision, reason)).findFirst().orElseThrow();
    }

    static boolean matches(JsonNode entry, long generation, String decision, String reason) {
        return entry.get("generation").asLong() == generation && decision.equals(entry.get("decision").asText())
                && (reason == null || reason.equals(entry.path("reason").asText()));
    }

    static JsonNode latestStatus(String key) {
        List<JsonNode> all = kafka.statuses(key);
        return all.get(all.size() - 1);
    }
}
