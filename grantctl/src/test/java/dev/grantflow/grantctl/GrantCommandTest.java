package dev.grantflow.grantctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import dev.grantflow.trust.KeySets;
import dev.grantflow.trust.SealBinding;
import dev.grantflow.trust.Sealing;
import dev.grantflow.trust.Signatures;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** grant and revoke against a real broker: the records they produce, generations, validation, waiting, exit codes. */
@ExtendWith(KafkaBrokerExtension.class)
class GrantCommandTest {

    @TempDir
    static Path dir;

    static KafkaBroker broker;
    static TopicAccess topics;
    static Path signingKey;
    static Path adminJwks;
    static Path sealingPrivate;
    static Path sealingJwks;

    @BeforeAll
    static void keys(KafkaBroker kafka) {
        broker = kafka;
        topics = new TopicAccess(kafka);
        signingKey = dir.resolve("admin.jwks");
        adminJwks = dir.resolve("admin-keys.jwks");
        sealingPrivate = dir.resolve("sealing-private.jwks");
        sealingJwks = dir.resolve("sealing.jwks");
        assertThat(new Grantctl(dir).run("keys", "create", "--signing", "--kid", "admin-1", "--private-out",
                signingKey.toString(), "--jwks-out", adminJwks.toString()).exitCode()).isZero();
        assertThat(new Grantctl(dir).run("keys", "create", "--sealing", "--kid", "seal-1", "--private-out",
                sealingPrivate.toString(), "--jwks-out", sealingJwks.toString()).exitCode()).isZero();
    }

    /** grantctl with the broker, the keys and an issuer set through the environment and a config file. */
    static Grantctl grantctl() {
        return new Grantctl(dir)
                .env("GRANTCTL_BOOTSTRAP_SERVERS", broker.bootstrapServers())
                .env("GRANTCTL_SIGNING_KEY", signingKey.toString())
                .env("GRANTCTL_SEALING_JWKS", sealingJwks.toString())
                .env("GRANTCTL_ISSUER", "admin@example.com");
    }

    static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ConsumerRecord<byte[], byte[]> onlyGrantRecord(String key) {
        List<ConsumerRecord<byte[], byte[]>> records = topics.withKey(Topics.GRANTS, key);
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static Signatures adminVerifier() {
        return new Signatures(KeySets.read(List.of(adminJwks)).values());
    }

    @Test
    void fromLiteralIsSealedSignedAndProducedWithTheCanaryNowhereInClear() throws Exception {
        String tenant = tenant();
        String canary = "canary-" + UUID.randomUUID();
        String other = "canary2-" + UUID.randomUUID();

        Grantctl.Run run = grantctl().run("grant", "--tenant", tenant, "--name", "test-secret",
                "--from-literal", "foo=" + canary, "--from-literal", "bar=" + other, "--mount", "/secret/test-secret",
                "--env", "FOO=foo", "--expires", "30d", "--no-wait");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("posted " + tenant + "/test-secret generation 1");
        assertThat(run.all()).doesNotContain(canary).doesNotContain(other);

        ConsumerRecord<byte[], byte[]> record = onlyGrantRecord(tenant + "/test-secret");
        String value = new String(record.value(), StandardCharsets.UTF_8);
        assertThat(value).doesNotContain(canary).doesNotContain(other);
        record.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8))
                .doesNotContain(canary));

        Signatures.Verdict verdict = adminVerifier().verify(record.value(), header(record, Signatures.HEADER), tenant);
        assertThat(verdict).isEqualTo(new Signatures.Verified("admin-1"));
        assertThat(header(record, "ce_type")).isEqualTo("dev.grantflow.grant.v1");

        JsonNode grant = Json.readTree(record.value());
        assertThat(grant.path("apiVersion").asText()).isEqualTo("grantflow.dev/v1");
        assertThat(grant.path("kind").asText()).isEqualTo("Grant");
        assertThat(grant.path("metadata").path("tenant").asText()).isEqualTo(tenant);
        assertThat(grant.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(grant.path("metadata").path("issuer").asText()).isEqualTo("admin@example.com");
        Instant issuedAt = Instant.parse(grant.path("metadata").path("issuedAt").asText());
        assertThat(Instant.parse(grant.path("spec").path("expiresAt").asText()))
                .isEqualTo(issuedAt.plus(Duration.ofDays(30)));
        JsonNode secret = grant.path("spec").path("secret");
        assertThat(secret.path("name").asText()).isEqualTo("test-secret");
        assertThat(secret.path("type").asText()).isEqualTo("Opaque");
        JsonNode podDefault = grant.path("spec").path("podDefault");
        assertThat(podDefault.path("selectorLabel").asText()).isEqualTo("test-secret");
        assertThat(podDefault.path("desc").asText()).isEqualTo("test-secret");
        assertThat(podDefault.path("mountPath").asText()).isEqualTo("/secret/test-secret");
        assertThat(podDefault.has("items")).isTrue();
        assertThat(podDefault.path("items").isNull()).isTrue();
        assertThat(podDefault.path("env").get(0).path("name").asText()).isEqualTo("FOO");

        Map<String, PublicJsonWebKey> privateKeys = KeySets.read(List.of(sealingPrivate));
        Sealing opener = new Sealing(privateKeys);
        String fooJwe = secret.path("source").path("sealedData").path("foo").asText();
        Sealing.Opened opened = opener.open(new SealBinding(tenant, "test-secret", "foo"), fooJwe);
        assertThat(opened).isInstanceOf(Sealing.Plain.class);
        assertThat(new String(((Sealing.Plain) opened).value(), StandardCharsets.UTF_8)).isEqualTo(canary);
        assertThat(opener.open(new SealBinding(tenant, "test-secret", "bar"), fooJwe))
                .isInstanceOf(Sealing.Refused.class);
        assertThat(opener.open(new SealBinding("mallory", "test-secret", "foo"), fooJwe))
                .isInstanceOf(Sealing.Refused.class);
        String barJwe = secret.path("source").path("sealedData").path("bar").asText();
        assertThat(new String(((Sealing.Plain) opener.open(new SealBinding(tenant, "test-secret", "bar"), barJwe))
                .value(), StandardCharsets.UTF_8)).isEqualTo(other);
    }

    @Test
    void fromSecretWithAndWithoutNamespace() {
        String tenant = tenant();
        Grantctl.Run explicit = grantctl().run("grant", "--tenant", tenant, "--name", "test-secret",
                "--from-secret", "grantflow-sources/test-secret", "--mount", "/secret/test-secret", "--no-wait",
                "-o", "json");
        Grantctl.Run implicit = grantctl().run("grant", "--tenant", tenant, "--name", "db",
                "--from-secret", "db-credentials", "--mount", "/secret/db", "--no-wait");

        assertThat(explicit.exitCode()).as(explicit.err()).isZero();
        assertThat(implicit.exitCode()).as(implicit.err()).isZero();
        JsonNode result = Json.readTree(explicit.out());
        assertThat(result.path("key").asText()).isEqualTo(tenant + "/test-secret");
        assertThat(result.path("generation").asLong()).isEqualTo(1);
        JsonNode ref = Json.readTree(onlyGrantRecord(tenant + "/test-secret").value())
                .path("spec").path("secret").path("source").path("secretRef");
        assertThat(ref.path("namespace").asText()).isEqualTo("grantflow-sources");
        assertThat(ref.path("name").asText()).isEqualTo("test-secret");
        JsonNode db = Json.readTree(onlyGrantRecord(tenant + "/db").value()).path("spec").path("secret");
        assertThat(db.path("source").path("secretRef").path("namespace").asText()).isEqualTo("grantflow-sources");
        assertThat(db.path("source").path("secretRef").path("name").asText()).isEqualTo("db-credentials");
        assertThat(db.path("source").has("sealedData")).isFalse();
    }

    @Test
    void dockerConfigIsSealedAsDockerConfigJsonProjectedAsConfigJson() throws Exception {
        String tenant = tenant();
        String canary = "canary-" + UUID.randomUUID();
        Path config = dir.resolve(tenant + "-config.json");
        String content = "{\"auths\":{\"registry.example.com\":{\"auth\":\"" + canary + "\"}}}";
        Files.writeString(config, content);

        Grantctl.Run run = grantctl().run("grant", "--tenant", tenant, "--name", "docker-config",
                "--docker-config", config.toString(), "--mount", "/home/jovyan/.docker", "--no-wait");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.all()).doesNotContain(canary);
        ConsumerRecord<byte[], byte[]> record = onlyGrantRecord(tenant + "/docker-config");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain(canary);
        JsonNode spec = Json.readTree(record.value()).path("spec");
        assertThat(spec.path("secret").path("type").asText()).isEqualTo("kubernetes.io/dockerconfigjson");
        assertThat(spec.path("podDefault").path("items").get(0).path("key").asText()).isEqualTo(".dockerconfigjson");
        assertThat(spec.path("podDefault").path("items").get(0).path("path").asText()).isEqualTo("config.json");
        String jwe = spec.path("secret").path("source").path("sealedData").path(".dockerconfigjson").asText();
        Sealing.Opened opened = new Sealing(KeySets.read(List.of(sealingPrivate)))
                .open(new SealBinding(tenant, "docker-config", ".dockerconfigjson"), jwe);
        assertThat(new String(((Sealing.Plain) opened).value(), StandardCharsets.UTF_8)).isEqualTo(content);
    }

    @Test
    void generationIsOneMoreThanAnyRecordOfTheKeyOnTheGrantsAndStatusTopics() {
        String tenant = tenant();
        String key = tenant + "/test-secret";
        // As other producers and grant-service left them: a grant of generation 4, a revocation of 5, a status of 6.
        topics.produce(Topics.GRANTS, key, ("{\"apiVersion\":\"grantflow.dev/v1\",\"kind\":\"Grant\",\"metadata\":"
                + "{\"tenant\":\"" + tenant + "\",\"name\":\"test-secret\",\"generation\":4}}").getBytes(StandardCharsets.UTF_8));
        topics.produce(Topics.GRANTS, key, Json.writeBytes(GrantRevocation.of(
                new dev.grantflow.model.grant.GrantMetadata(tenant, "test-secret", 5, Instant.now(), null))));
        topics.produce(Topics.GRANTS, key, null);
        topics.produce(Topics.GRANTS, tenant + "/other", ("{\"metadata\":{\"generation\":99}}").getBytes(StandardCharsets.UTF_8));
        topics.produce(Topics.GRANT_STATUS, key, Json.writeBytes(GrantStatus.of(new GrantKey(tenant, "test-secret"), 6,
                StatusReason.REVOKED, "revoked", Instant.now())));

        Grantctl.Run first = grantctl().run("grant", "--tenant", tenant, "--name", "test-secret",
                "--from-secret", "test-secret", "--mount", "/secret/test-secret", "--no-wait");
        Grantctl.Run second = grantctl().run("grant", "--tenant", tenant, "--name", "test-secret",
                "--from-secret", "test-secret", "--mount", "/secret/test-secret", "--no-wait");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("generation 7");
        assertThat(second.out()).contains("generation 8");
        List<Long> generations = new ArrayList<>();
        topics.withKey(Topics.GRANTS, key).stream().filter(r -> r.value() != null)
                .forEach(r -> generations.add(Json.readTree(r.value()).path("metadata").path("generation").asLong()));
        assertThat(generations).containsExactly(4L, 5L, 7L, 8L);
    }

    @Test
    void anInvalidGrantExits1WithTheServicesMessagesAndProducesNothing() {
        String tenant = tenant();
        String canary = "canary-" + UUID.randomUUID();

        Grantctl.Run run = grantctl().run("grant", "--tenant", tenant, "--name", "test-secret",
                "--from-literal", "foo=" + canary, "--mount", "/var/run/secrets/kubernetes.io/x", "--env", "1BAD=foo");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("InvalidGrant").contains("2 problems: ")
                .contains("spec.podDefault.mountPath: mount path '/var/run/secrets/kubernetes.io/x' lies below "
                        + "system path /var/run/secrets/kubernetes.io")
                .contains("spec.podDefault.env[0].name").contains("Nothing was posted");
        assertThat(run.all()).doesNotContain(canary);
        assertThat(topics.withKey(Topics.GRANTS, tenant + "/test-secret")).isEmpty();
    }

    @Test
    void anOversizedValueExits1NamingTheLimitAndProducesNothing() throws Exception {
        String tenant = tenant();
        // 900 KiB of canary text: sealed (base64url, RSA-OAEP-256 + A256GCM) it exceeds the 1 MiB a Secret holds.
        String canary = "canary-" + UUID.randomUUID();
        Path big = dir.resolve("big-" + tenant + ".txt");
        java.nio.file.Files.writeString(big, canary.repeat(900 * 1024 / canary.length()));

        Grantctl.Run run = grantctl().run("grant", "--tenant", tenant, "--name", "big", "--from-file",
                "value=" + big, "--mount", "/secret/big");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("InvalidGrant").contains("spec.secret.source.sealedData")
                .contains("no more than 1048576 bytes").contains("Nothing was posted");
        assertThat(run.all()).doesNotContain(canary);
        assertThat(topics.withKey(Topics.GRANTS, tenant + "/big")).isEmpty();
    }

    @Test
    void valuesAreNotEchoedWhenAnArgumentIsMisplaced() {
        String canary = "canary-" + UUID.randomUUID();
        Grantctl.Run noKey = grantctl().run("grant", "--tenant", "alice", "--name", "x", "--from-literal", canary,
                "--mount", "/secret/x");
        Grantctl.Run stray = grantctl().run("grant", "--tenant", "alice", "--name", "x", "--from-literal", "k=v",
                canary, "--mount", "/secret/x");

        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.err()).contains("--from-literal (occurrence 1) must be KEY=VALUE");
        assertThat(stray.exitCode()).isEqualTo(1);
        assertThat(stray.err()).contains("not shown");
        assertThat(noKey.all() + stray.all()).doesNotContain(canary);
    }

    @Test
    void revokeProducesASignedRevocationOfTheNextGeneration() {
        String tenant = tenant();
        String key = tenant + "/test-secret";
        assertThat(grantctl().run("grant", "--tenant", tenant, "--name", "test-secret", "--from-secret",
                "test-secret", "--mount", "/secret/test-secret", "--no-wait").exitCode()).isZero();

        Grantctl.Run run = grantctl().run("revoke", "--tenant", tenant, "--name", "test-secret", "--no-wait");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<ConsumerRecord<byte[], byte[]>> records = topics.withKey(Topics.GRANTS, key);
        assertThat(records).hasSize(2);
        ConsumerRecord<byte[], byte[]> revocation = records.get(1);
        GrantRevocation parsed = Json.read(revocation.value(), GrantRevocation.class);
        assertThat(parsed.kind()).isEqualTo("GrantRevocation");
        assertThat(parsed.apiVersion()).isEqualTo("grantflow.dev/v1");
        assertThat(parsed.metadata().tenant()).isEqualTo(tenant);
        assertThat(parsed.metadata().name()).isEqualTo("test-secret");
        assertThat(parsed.generation()).isEqualTo(2);
        assertThat(adminVerifier().verify(revocation.value(), header(revocation, Signatures.HEADER), tenant))
                .isEqualTo(new Signatures.Verified("admin-1"));
    }

    @Test
    void waitsForTheStatusOfItsGenerationAndExitsByPhase() throws Exception {
        String tenant = tenant();
        GrantKey key = new GrantKey(tenant, "test-secret");
        // An older status of the key must not end the wait.
        topics.produce(Topics.GRANT_STATUS, key.format(), Json.writeBytes(GrantStatus.of(key, 1, StatusReason.APPLIED,
                "old", Instant.now())));

        Grantctl.Started applied = grantctl().start("grant", "--tenant", tenant, "--name", "test-secret",
                "--from-secret", "test-secret", "--mount", "/secret/test-secret", "--timeout", "60s");
        answer(key, 2, StatusReason.APPLIED, "Secret test-secret and PodDefault test-secret applied");
        Grantctl.Run appliedRun = applied.await();
        assertThat(appliedRun.exitCode()).as(appliedRun.err()).isZero();
        assertThat(appliedRun.out()).contains("TENANT").contains("PHASE").contains("Applied")
                .contains("PodDefault test-secret applied").doesNotContain("old");

        Grantctl.Started rejected = grantctl().start("grant", "--tenant", tenant, "--name", "test-secret",
                "--from-secret", "test-secret", "--mount", "/secret/test-secret", "-o", "json");
        answer(key, 3, StatusReason.SIGNATURE_INVALID, "the signature does not match the record bytes");
        Grantctl.Run rejectedRun = rejected.await();
        assertThat(rejectedRun.exitCode()).isEqualTo(2);
        assertThat(Json.read(rejectedRun.out(), GrantStatus.class).generation()).isEqualTo(3);

        Grantctl.Started failed = grantctl().start("revoke", "--tenant", tenant, "--name", "test-secret");
        answer(key, 4, StatusReason.KUBERNETES_REFUSED, "forbidden");
        assertThat(failed.await().exitCode()).isEqualTo(3);
    }

    @Test
    void noStatusExits4AfterTheTimeoutWithProgressOnStderr() throws Exception {
        String tenant = tenant();
        Grantctl.Run run = grantctl().run("grant", "--tenant", tenant, "--name", "test-secret",
                "--from-secret", "test-secret", "--mount", "/secret/test-secret", "--timeout", "2s");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("waiting for grant-service: " + tenant + "/test-secret generation 1 ... 1s")
                .contains("no status for " + tenant + "/test-secret generation 1 within 2s");
        assertThat(topics.withKey(Topics.GRANTS, tenant + "/test-secret")).hasSize(1);
    }

    @Test
    void unreachableKafkaExits5() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Grantctl.Run run = grantctl().run("grant", "--tenant", "alice", "--name", "test-secret", "--from-secret",
                "test-secret", "--mount", "/secret/test-secret", "--bootstrap-servers", "127.0.0.1:" + port,
                "--connect-timeout", "2s");

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).contains("127.0.0.1:" + port).contains("--bootstrap-servers");
    }

    @Test
    void unreadableSigningKeyExits1() {
        Grantctl.Run run = grantctl().env("GRANTCTL_SIGNING_KEY", dir.resolve("missing.jwks").toString())
                .run("grant", "--tenant", "alice", "--name", "x", "--from-secret", "x", "--mount", "/secret/x");
        Grantctl.Run publicOnly = grantctl().run("grant", "--tenant", "alice", "--name", "x", "--from-secret", "x",
                "--mount", "/secret/x", "--signing-key", adminJwks.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--signing-key").contains("missing.jwks");
        assertThat(publicOnly.exitCode()).isEqualTo(1);
        assertThat(publicOnly.err()).contains("has no private part");
    }

    /** Waits until grantctl posted {@code generation} for {@code key}, then answers as grant-service would. */
    private static void answer(GrantKey key, long generation, StatusReason reason, String message) {
        await().atMost(Duration.ofSeconds(60)).until(() -> topics.withKey(Topics.GRANTS, key.format()).stream()
                .anyMatch(r -> r.value() != null
                        && Json.readTree(r.value()).path("metadata").path("generation").asLong() == generation));
        topics.produce(Topics.GRANT_STATUS, key.format(), Json.writeBytes(GrantStatus.of(key, generation, reason,
                message, Instant.now())));
    }
}
