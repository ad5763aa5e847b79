package dev.grantflow.grantctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.grant.AuditDecision;
import dev.grantflow.model.grant.GrantAuditEntry;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import dev.grantflow.trust.KeyPairs;
import dev.grantflow.trust.KeySets;
import dev.grantflow.trust.SealBinding;
import dev.grantflow.trust.Sealing;
import dev.grantflow.trust.Signatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** status, audit and seal against a real broker, with the records grant-service would write. */
@ExtendWith(KafkaBrokerExtension.class)
class StatusAuditSealTest {

    @TempDir
    static Path dir;

    static KafkaBroker broker;
    static TopicAccess topics;

    @BeforeAll
    static void broker(KafkaBroker kafka) {
        broker = kafka;
        topics = new TopicAccess(kafka);
    }

    static Grantctl grantctl() {
        return new Grantctl(dir).env("GRANTCTL_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    }

    static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void status(String tenant, String grant, long generation, StatusReason reason, String message) {
        topics.produce(Topics.GRANT_STATUS, tenant + "/" + grant, Json.writeBytes(GrantStatus.of(
                new GrantKey(tenant, grant), generation, reason, message, Instant.now().minusSeconds(90))));
    }

    @Test
    void statusShowsTheLatestPerKeyAsTableOrJsonLines() {
        String tenant = tenant();
        status(tenant, "test-secret", 1, StatusReason.TENANT_ABSENT, "tenant absent");
        status(tenant, "test-secret", 1, StatusReason.APPLIED, "Secret test-secret and PodDefault test-secret applied");
        status(tenant, "docker-config", 2, StatusReason.SOURCE_MISSING, "source Secret grantflow-sources/x is missing");
        status(tenant(), "elsewhere", 1, StatusReason.APPLIED, "another tenant");

        Grantctl.Run table = grantctl().run("status", "--tenant", tenant);
        Grantctl.Run json = grantctl().run("status", "--tenant", tenant, "-o", "json");
        Grantctl.Run one = grantctl().run("status", "--tenant", tenant, "--grant", "test-secret", "-o", "json");

        assertThat(table.exitCode()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).split("\\s+")).containsExactly("TENANT", "GRANT", "PHASE", "REASON", "GENERATION",
                "TENANTS", "AGE", "MESSAGE");
        assertThat(lines.get(1).split("\\s+", 8)).containsExactly(tenant, "docker-config", "Failed", "SourceMissing",
                "2", "-", "90s", "source Secret grantflow-sources/x is missing");
        assertThat(lines.get(2).split("\\s+", 8)).containsExactly(tenant, "test-secret", "Applied", "Applied", "1",
                "-", "90s", "Secret test-secret and PodDefault test-secret applied");
        assertThat(table.out()).doesNotContain("another tenant");

        assertThat(json.out().lines().map(l -> Json.read(l, GrantStatus.class)).map(GrantStatus::grant).toList())
                .containsExactly("docker-config", "test-secret");
        assertThat(one.out().lines().map(l -> Json.read(l, GrantStatus.class)).toList())
                .singleElement().satisfies(s -> assertThat(s.reason()).isEqualTo("Applied"));
    }

    @Test
    void statusWatchPrintsChanges() throws Exception {
        String tenant = tenant();
        status(tenant, "test-secret", 1, StatusReason.TENANT_ABSENT, "waiting for the tenant");

        Grantctl.Started watch = grantctl().start("status", "--tenant", tenant, "--watch", "--timeout", "10s",
                "-o", "json");
        await().atMost(Duration.ofSeconds(30)).until(() -> watch.out().contains("TenantAbsent"));
        status(tenant, "test-secret", 1, StatusReason.APPLIED, "applied now");
        await().atMost(Duration.ofSeconds(30)).until(() -> watch.out().contains("applied now"));

        Grantctl.Run run = watch.await();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().map(l -> Json.read(l, GrantStatus.class).reason()).toList())
                .containsExactly("TenantAbsent", "Applied");
    }

    @Test
    void auditReVerifiesEverySignatureAndDeduplicatesByGrantsRecord() throws Exception {
        String tenant = tenant();
        PublicJsonWebKey admin = KeyPairs.signing("admin-1", List.of());
        Path adminJwks = dir.resolve(tenant + "-admin.jwks");
        Files.writeString(adminJwks, KeySets.publicJson(List.of(admin)));

        byte[] good = ("{\"apiVersion\":\"grantflow.dev/v1\",\"kind\":\"Grant\",\"metadata\":{\"tenant\":\"" + tenant
                + "\",\"name\":\"test-secret\",\"generation\":1}}").getBytes(StandardCharsets.UTF_8);
        String goodSignature = Signatures.sign(admin, good);
        byte[] tampered = Arrays.copyOf(good, good.length);
        String tamperedSignature = Signatures.sign(admin, tampered);
        tampered[tampered.length - 3] = '2';

        GrantAuditEntry accepted = entry(tenant, 1, AuditDecision.Accepted, null, goodSignature, good, 0, 10, 1);
        GrantAuditEntry forged = entry(tenant, 2, AuditDecision.Accepted, null, tamperedSignature, tampered, 0, 11, 2);
        GrantAuditEntry tombstone = entry(tenant, 0, AuditDecision.Ignored, "SignatureMissing", null, null, 0, 12, 3);
        for (GrantAuditEntry e : List.of(accepted, accepted, forged, tombstone)) {
            topics.produce(Topics.AUDIT, e.key(), Json.writeBytes(e));
        }

        Grantctl.Run table = grantctl().run("audit", "--tenant", tenant, "--admin-jwks", adminJwks.toString());
        Grantctl.Run json = grantctl().run("audit", "--tenant", tenant, "--grant", "test-secret", "--admin-jwks",
                adminJwks.toString(), "-o", "json");
        Grantctl.Run unchecked = grantctl().run("audit", "--tenant", tenant);

        assertThat(table.exitCode()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).split("\\s+")).containsExactly("TIME", "KEY", "GENERATION", "KIND", "DECISION",
                "REASON", "SIGNER", "VERIFIED");
        assertThat(lines.get(1)).contains(tenant + "/test-secret").contains("Accepted").endsWith("yes");
        assertThat(lines.get(2)).contains("Accepted").endsWith("NO");
        assertThat(lines.get(3)).contains("Ignored").contains("SignatureMissing").endsWith("-");
        assertThat(table.err()).contains("1 signature(s) do NOT verify").contains("does not match");

        List<JsonNode> entries = json.out().lines().map(Json::readTree).toList();
        assertThat(entries).extracting(e -> e.path("verified").asText()).containsExactly("yes", "NO", "-");
        assertThat(entries).extracting(e -> e.path("offset").asLong()).containsExactly(10L, 11L, 12L);

        assertThat(unchecked.out().lines().skip(1).map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList())
                .containsExactly("?", "?", "-");
        assertThat(unchecked.err()).contains("no --admin-jwks");
    }

    private static GrantAuditEntry entry(String tenant, long generation, AuditDecision decision, String reason,
            String signature, byte[] record, int partition, long offset, int second) {
        Instant at = Instant.parse("2026-12-01T10:00:00Z").plusSeconds(second);
        return new GrantAuditEntry(tenant + "/test-secret", tenant, "test-secret", generation,
                record == null ? GrantAuditEntry.KIND_TOMBSTONE : GrantAuditEntry.KIND_GRANT, decision, reason, null,
                signature == null ? null : "admin-1", signature, null, null,
                record == null ? null : Base64.getEncoder().encodeToString(record), partition, offset, at, at);
    }

    @Test
    void sealPrintsOnlyTheJweBoundToTenantGrantAndKey() throws Exception {
        Path priv = dir.resolve("seal-private.jwks");
        Path pub = dir.resolve("seal.jwks");
        assertThat(grantctl().run("keys", "create", "--sealing", "--kid", "seal-9", "--private-out", priv.toString(),
                "--jwks-out", pub.toString()).exitCode()).isZero();
        String canary = "canary-" + UUID.randomUUID();
        Path file = dir.resolve("value.txt");
        Files.writeString(file, canary);

        Grantctl.Run fromStdin = grantctl().runWithStdin(canary.getBytes(StandardCharsets.UTF_8), "seal",
                "--tenant", "alice", "--grant", "api", "--key", "token", "--sealing-jwks", pub.toString());
        Grantctl.Run fromFile = grantctl().run("seal", "--tenant", "alice", "--grant", "api", "--key", "token",
                "--sealing-jwks", pub.toString(), "--from-file", file.toString());

        Sealing opener = new Sealing(KeySets.read(List.of(priv)));
        for (Grantctl.Run run : List.of(fromStdin, fromFile)) {
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.all()).doesNotContain(canary);
            assertThat(run.out().lines().toList()).hasSize(1);
            String jwe = run.out().trim();
            assertThat(jwe.split("\\.", -1)).hasSize(5);
            assertThat(new String(((Sealing.Plain) opener.open(new SealBinding("alice", "api", "token"), jwe)).value(),
                    StandardCharsets.UTF_8)).isEqualTo(canary);
            assertThat(opener.open(new SealBinding("bob", "api", "token"), jwe)).isInstanceOf(Sealing.Refused.class);
        }
    }
}
