package dev.grantflow.grantctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.grant.TenantCounts;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.trust.KeySets;
import dev.grantflow.trust.SealBinding;
import dev.grantflow.trust.Sealing;
import dev.grantflow.trust.Signatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Selector grants against a real broker: grant --tenant-selector, revoke and seal --selector-grant, status with
 * counts and per-tenant rows. grant-service does not run here: the tests publish the summary and copy statuses it
 * would publish ({@code &#42;/<name>} with tenant counts, {@code <tenant>/*<name>}).
 */
@ExtendWith(KafkaBrokerExtension.class)
class SelectorGrantCommandTest {

    @TempDir
    static Path dir;

    static TopicAccess topics;
    static KafkaBroker broker;
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

    static Grantctl grantctl() {
        return new Grantctl(dir)
                .env("GRANTCTL_BOOTSTRAP_SERVERS", broker.bootstrapServers())
                .env("GRANTCTL_SIGNING_KEY", signingKey.toString())
                .env("GRANTCTL_SEALING_JWKS", sealingJwks.toString())
                .env("GRANTCTL_ISSUER", "admin@example.com");
    }

    /** A grant name of its own per test: the broker and its topics are shared by every test class. */
    static String name() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String[] grantArgs(String name, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("grant", "--tenant-selector", "team=ml,env in (dev,prod)",
                "--name", name, "--from-secret", "ml-token", "--mount", "/secret/ml"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aSelectorGrantIsSealedToTenantStarSignedAndPostedUnderStarSlashName() {
        String name = name();
        String canary = "canary-" + UUID.randomUUID();

        Grantctl.Run run = grantctl().run("grant", "--tenant-selector", "team=ml, env in (dev,prod), !legacy",
                "--name", name, "--from-literal", "token=" + canary, "--mount", "/secret/ml", "--env", "TOKEN=token",
                "--no-wait");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("posted */" + name + " generation 1");
        assertThat(run.all()).doesNotContain(canary);
        List<ConsumerRecord<byte[], byte[]>> records = topics.withKey(Topics.GRANTS, "*/" + name);
        assertThat(records).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = records.get(0);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain(canary);
        record.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(canary));

        // Signed, and verifiable as grant-service verifies a selector grant: for tenant '*'.
        Signatures verifier = new Signatures(KeySets.read(List.of(adminJwks)).values());
        assertThat(verifier.verify(record.value(), header(record, Signatures.HEADER), "*"))
                .isEqualTo(new Signatures.Verified("admin-1"));

        Grant grant = Json.read(record.value(), Grant.class);
        assertThat(grant.selectsTenants()).isTrue();
        assertThat(grant.metadata().tenant()).isNull();
        assertThat(grant.grantKey()).isEqualTo(GrantKey.selector(name));
        assertThat(Json.readTree(record.value()).path("metadata").has("tenant")).isFalse();
        CompiledLabelSelector selector = CompiledLabelSelector.compile(grant.metadata().tenantSelector());
        assertThat(selector.matches(Map.of("team", "ml", "env", "prod"))).isTrue();
        assertThat(selector.matches(Map.of("team", "ml", "env", "prod", "legacy", "1"))).isFalse();
        assertThat(selector.matches(Map.of("team", "ml", "env", "qa"))).isFalse();
        assertThat(selector.matches(Map.of("env", "dev"))).isFalse();

        // The sealed value opens bound to tenant '*' and this grant only, never to one tenant.
        String jwe = grant.spec().secret().source().sealedData().get("token");
        Sealing opener = new Sealing(KeySets.read(List.of(sealingPrivate)));
        Sealing.Opened opened = opener.open(new SealBinding("*", name, "token"), jwe);
        assertThat(opened).isInstanceOf(Sealing.Plain.class);
        assertThat(new String(((Sealing.Plain) opened).value(), StandardCharsets.UTF_8)).isEqualTo(canary);
        assertThat(opener.open(new SealBinding("alice", name, "token"), jwe)).isInstanceOf(Sealing.Refused.class);
        assertThat(opener.open(new SealBinding("*", "other", "token"), jwe)).isInstanceOf(Sealing.Refused.class);
    }

    @Test
    void tenantAndTenantSelectorTogetherOrABadSelectorExit1AndPostNothing() {
        String name = name();
        String canary = "canary-" + UUID.randomUUID();

        Grantctl.Run both = grantctl().run("grant", "--tenant", "alice", "--tenant-selector", "team=ml", "--name", name,
                "--from-literal", "token=" + canary, "--mount", "/secret/ml");
        Grantctl.Run neither = grantctl().run("grant", "--name", name, "--from-literal", "token=" + canary,
                "--mount", "/secret/ml");
        Grantctl.Run bad = grantctl().run("grant", "--tenant-selector", "team in ml", "--name", name,
                "--from-literal", "token=" + canary, "--mount", "/secret/ml");
        Grantctl.Run star = grantctl().run("grant", "--tenant", "*", "--name", name, "--from-secret", "x",
                "--mount", "/secret/ml");
        Grantctl.Run revokeBoth = grantctl().run("revoke", "--tenant", "alice", "--selector-grant", "--name", name);

        assertThat(both.exitCode()).isEqualTo(1);
        assertThat(both.err()).contains("--tenant").contains("--tenant-selector").contains("not both");
        assertThat(neither.exitCode()).isEqualTo(1);
        assertThat(neither.err()).contains("--tenant TENANT").contains("--tenant-selector SELECTOR");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("--tenant-selector: Invalid label selector 'team in ml'");
        assertThat(star.exitCode()).isEqualTo(1);
        assertThat(star.err()).contains("--tenant '*' is not a tenant");
        assertThat(revokeBoth.exitCode()).isEqualTo(1);
        assertThat(revokeBoth.err()).contains("--tenant").contains("--selector-grant").contains("not both");
        assertThat(both.all() + neither.all() + bad.all()).doesNotContain(canary);
        assertThat(topics.withKey(Topics.GRANTS, "*/" + name)).isEmpty();
        assertThat(topics.withKey(Topics.GRANTS, "alice/" + name)).isEmpty();
    }

    @Test
    void anEmptySelectorSelectsEveryTenantAndSaysSo() {
        String name = name();

        Grantctl.Run run = grantctl().run("grant", "--tenant-selector", "", "--name", name, "--from-secret",
                "ml-token", "--mount", "/secret/ml", "--no-wait");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("--tenant-selector '' selects every tenant");
        Grant grant = Json.read(topics.withKey(Topics.GRANTS, "*/" + name).get(0).value(), Grant.class);
        assertThat(grant.selectsTenants()).isTrue();
        assertThat(CompiledLabelSelector.compile(grant.metadata().tenantSelector()).matchesEverything()).isTrue();
    }

    @Test
    void aKeyScopedToTenantsSignsASelectorGrantOnlyIfItsScopeListsStar() {
        Path scoped = dir.resolve("scoped.jwks");
        Path starred = dir.resolve("starred.jwks");
        Path scopedPublic = dir.resolve("scoped-public.jwks");
        assertThat(new Grantctl(dir).run("keys", "create", "--signing", "--kid", "team-a", "--tenants", "alice,bob",
                "--private-out", scoped.toString(), "--jwks-out", scopedPublic.toString()).exitCode()).isZero();
        assertThat(new Grantctl(dir).run("keys", "create", "--signing", "--kid", "team-star", "--tenants", "alice,*",
                "--private-out", starred.toString(), "--jwks-out", scopedPublic.toString()).exitCode()).isZero();
        String name = name();

        Grantctl.Run refused = grantctl().run(grantArgs(name, "--signing-key", scoped.toString(), "--no-wait"));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("signing key 'team-a'").contains("selector grant").contains("SignerOutOfScope");
        assertThat(topics.withKey(Topics.GRANTS, "*/" + name)).isEmpty();

        Grantctl.Run allowed = grantctl().run(grantArgs(name, "--signing-key", starred.toString(), "--no-wait"));
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        ConsumerRecord<byte[], byte[]> record = topics.withKey(Topics.GRANTS, "*/" + name).get(0);
        assertThat(new Signatures(KeySets.read(List.of(scopedPublic)).values())
                .verify(record.value(), header(record, Signatures.HEADER), "*"))
                .isEqualTo(new Signatures.Verified("team-star"));
    }

    @Test
    void generationIsOneMoreThanAnyRecordOfTheSelectorKeyNotOfItsCopies() {
        String name = name();
        GrantKey key = GrantKey.selector(name);
        topics.produce(Topics.GRANTS, key.format(), Json.writeBytes(GrantRevocation.of(
                dev.grantflow.model.grant.GrantMetadata.forKey(key, null, 3, Instant.now(), null))));
        topics.produce(Topics.GRANT_STATUS, key.format(), Json.writeBytes(GrantStatus.of(key, 4, StatusReason.REVOKED,
                "revoked", Instant.now()).withTenants(TenantCounts.none())));
        // A copy's status carries the selector grant's generation, but it is another key: not counted.
        topics.produce(Topics.GRANT_STATUS, key.copyIn("alice").format(), Json.writeBytes(GrantStatus.of(
                key.copyIn("alice"), 9, StatusReason.APPLIED, "m", Instant.now())));

        Grantctl.Run run = grantctl().run(grantArgs(name, "--no-wait", "-o", "json"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode posted = Json.readTree(run.out());
        assertThat(posted.path("key").asText()).isEqualTo("*/" + name);
        assertThat(posted.path("generation").asLong()).isEqualTo(5);
    }

    @Test
    void waitingPrintsTheCountsUntilTheSummaryIsApplied() throws Exception {
        String name = name();
        GrantKey key = GrantKey.selector(name);
        // An older summary must not end the wait.
        summary(key, 1, StatusReason.APPLIED, new TenantCounts(1, 1, 0, 0, 0), "old");

        Grantctl.Started started = grantctl().start(grantArgs(name, "--timeout", "90s"));
        awaitPosted(key, 2);
        // A copy's status is not the answer, nor is the summary while tenants are pending.
        topics.produce(Topics.GRANT_STATUS, key.copyIn("alice").format(), Json.writeBytes(GrantStatus.of(
                key.copyIn("alice"), 2, StatusReason.APPLIED, "copy applied", Instant.now())));
        summary(key, 2, StatusReason.TENANTS_PENDING, new TenantCounts(3, 1, 2, 0, 0), "2 of 3 tenants pending");
        await().atMost(Duration.ofSeconds(60)).until(() -> started.err()
                .contains("(3 selected: 1 applied, 2 pending, 0 failed, 0 overridden)"));
        assertThat(started.result()).isNotDone();
        summary(key, 2, StatusReason.APPLIED, new TenantCounts(3, 2, 0, 0, 1), "applied in every selected tenant");

        Grantctl.Run run = started.await();
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0).split("\\s+")).containsExactly("TENANT", "GRANT", "PHASE", "REASON", "GENERATION",
                "TENANTS", "AGE", "MESSAGE");
        assertThat(lines.get(1)).startsWith("*").contains(name).contains("Applied")
                .contains("2/3 applied, 0 pending, 0 failed, 1 overridden").contains("applied in every selected tenant");
        assertThat(run.out()).contains("*/" + name + ": 3 selected: 2 applied, 0 pending, 0 failed, 1 overridden")
                .contains("1 tenant(s) keep another grant that takes precedence")
                .contains("grantctl status --grant " + name + " --per-tenant")
                .doesNotContain("old").doesNotContain("copy applied");
        assertThat(run.err()).contains("posted */" + name + " generation 2");
    }

    @Test
    void failedTenantsExit3AndNoTenantSelectedIsAppliedForTenantsToCome() throws Exception {
        String failedName = name();
        GrantKey failedKey = GrantKey.selector(failedName);
        Grantctl.Started failing = grantctl().start(grantArgs(failedName, "-o", "json"));
        awaitPosted(failedKey, 1);
        summary(failedKey, 1, StatusReason.TENANTS_FAILED, new TenantCounts(4, 3, 0, 1, 0), "1 tenant failed");
        Grantctl.Run failed = failing.await();
        assertThat(failed.exitCode()).isEqualTo(3);
        GrantStatus answer = Json.read(failed.out(), GrantStatus.class);
        assertThat(answer.tenants()).isEqualTo(new TenantCounts(4, 3, 0, 1, 0));
        assertThat(Json.readTree(failed.out()).path("tenants").path("failed").asInt()).isEqualTo(1);
        assertThat(failed.err()).contains("1 tenant(s) failed; see which and why: grantctl status --grant "
                + failedName + " --per-tenant");

        String noneName = name();
        GrantKey noneKey = GrantKey.selector(noneName);
        Grantctl.Started none = grantctl().start(grantArgs(noneName));
        awaitPosted(noneKey, 1);
        summary(noneKey, 1, StatusReason.APPLIED, TenantCounts.none(), "no tenant selected");
        Grantctl.Run applied = none.await();
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("0 selected")
                .contains("*/" + noneName + " selects no tenant now (selected 0): it applies to tenants as they appear");
    }

    @Test
    void waitingTimesOutWithTheLastCountsAndWhereToLook() throws Exception {
        String name = name();
        GrantKey key = GrantKey.selector(name);

        Grantctl.Started started = grantctl().start(grantArgs(name, "--timeout", "15s"));
        awaitPosted(key, 1);
        summary(key, 1, StatusReason.TENANTS_PENDING, new TenantCounts(2, 1, 1, 0, 0), "pending");
        Grantctl.Run run = started.await();

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("no final status for */" + name + " generation 1 within 15s "
                        + "(2 selected: 1 applied, 1 pending, 0 failed, 0 overridden)")
                .contains("grantctl status --grant " + name + " --per-tenant");
        assertThat(topics.withKey(Topics.GRANTS, "*/" + name)).hasSize(1);
    }

    @Test
    void revokeSelectorGrantPostsASignedRevocationOfTheSelectorKeyAndWaitsForRevoked() throws Exception {
        String name = name();
        GrantKey key = GrantKey.selector(name);
        assertThat(grantctl().run(grantArgs(name, "--no-wait")).exitCode()).isZero();

        Grantctl.Started started = grantctl().start("revoke", "--selector-grant", "--name", name);
        awaitPosted(key, 2);
        summary(key, 2, StatusReason.REVOKED, TenantCounts.none(), "revoked in every tenant");
        Grantctl.Run run = started.await();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Revoked").contains("revoked in every tenant").doesNotContain("selects no tenant");
        List<ConsumerRecord<byte[], byte[]>> records = topics.withKey(Topics.GRANTS, key.format());
        assertThat(records).hasSize(2);
        ConsumerRecord<byte[], byte[]> revocation = records.get(1);
        GrantRevocation parsed = Json.read(revocation.value(), GrantRevocation.class);
        assertThat(parsed.kind()).isEqualTo("GrantRevocation");
        assertThat(parsed.metadata().key()).contains(key);
        assertThat(parsed.metadata().tenant()).isNull();
        assertThat(parsed.generation()).isEqualTo(2);
        assertThat(header(revocation, "ce_type")).isEqualTo("dev.grantflow.grant-revocation.v1");
        assertThat(new Signatures(KeySets.read(List.of(adminJwks)).values())
                .verify(revocation.value(), header(revocation, Signatures.HEADER), "*"))
                .isEqualTo(new Signatures.Verified("admin-1"));
    }

    @Test
    void statusFoldsCopiesIntoTheirSelectorGrantAndListsThemPerTenantOnRequest() {
        String name = name();
        GrantKey key = GrantKey.selector(name);
        String prefix = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String alice = prefix + "-a";
        String bob = prefix + "-b";
        summary(key, 2, StatusReason.TENANTS_FAILED, new TenantCounts(3, 1, 0, 1, 1), "1 tenant failed");
        copy(key, alice, 2, StatusReason.APPLIED, "Secret and PodDefault applied");
        copy(key, bob, 2, StatusReason.SOURCE_MISSING, "source missing");
        copy(key, prefix + "-c", 2, StatusReason.OVERRIDDEN, "tenant grant " + name + " takes precedence");
        topics.produce(Topics.GRANT_STATUS, alice + "/" + name, Json.writeBytes(GrantStatus.of(new GrantKey(alice, name),
                1, StatusReason.APPLIED, "a tenant grant of the same name", Instant.now())));

        Grantctl.Run folded = grantctl().run("status", "--grant", name);
        Grantctl.Run perTenant = grantctl().run("status", "--grant", name, "--per-tenant");
        Grantctl.Run oneTenant = grantctl().run("status", "--tenant", bob);
        Grantctl.Run json = grantctl().run("status", "--tenant", "*", "--grant", name, "-o", "json");

        assertThat(folded.exitCode()).as(folded.err()).isZero();
        List<String> rows = folded.out().lines().skip(1).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).split("\\s+", 6)).startsWith("*", name, "Failed", "TenantsFailed", "2");
        assertThat(rows.get(0)).contains("1/3 applied, 0 pending, 1 failed, 1 overridden");
        assertThat(rows.get(1).split("\\s+")).startsWith(alice, name, "Applied", "Applied", "1", "-");

        List<String> perTenantRows = perTenant.out().lines().skip(1).toList();
        assertThat(perTenantRows).extracting(l -> l.split("\\s+")[0] + " " + l.split("\\s+")[1]).containsExactly(
                "* " + name, alice + " *" + name, alice + " " + name, bob + " *" + name, prefix + "-c *" + name);
        assertThat(perTenantRows.get(4)).contains("Rejected").contains("Overridden");

        assertThat(oneTenant.out().lines().skip(1).toList()).singleElement().asString()
                .startsWith(bob).contains("*" + name).contains("SourceMissing");

        assertThat(json.out().lines().toList()).singleElement().satisfies(line -> {
            JsonNode status = Json.readTree(line);
            assertThat(status.path("tenant").asText()).isEqualTo("*");
            assertThat(status.path("tenants").path("selected").asInt()).isEqualTo(3);
            assertThat(status.path("tenants").path("overridden").asInt()).isEqualTo(1);
        });
    }

    @Test
    void sealForASelectorGrantBindsTheValueToTenantStar() throws Exception {
        String canary = "canary-" + UUID.randomUUID();
        Path file = dir.resolve("value.txt");
        Files.writeString(file, canary);

        Grantctl.Run run = grantctl().run("seal", "--selector-grant", "--grant", "ml-token", "--key", "token",
                "--from-file", file.toString());
        Grantctl.Run both = grantctl().run("seal", "--selector-grant", "--tenant", "alice", "--grant", "ml-token",
                "--key", "token", "--from-file", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.all()).doesNotContain(canary);
        Sealing opener = new Sealing(KeySets.read(List.of(sealingPrivate)));
        String jwe = run.out().trim();
        assertThat(new String(((Sealing.Plain) opener.open(new SealBinding("*", "ml-token", "token"), jwe)).value(),
                StandardCharsets.UTF_8)).isEqualTo(canary);
        assertThat(opener.open(new SealBinding("alice", "ml-token", "token"), jwe)).isInstanceOf(Sealing.Refused.class);
        assertThat(both.exitCode()).isEqualTo(1);
        assertThat(both.err()).contains("--selector-grant").contains("--tenant");
        assertThat(both.all()).doesNotContain(canary);
    }

    /** Publishes a selector grant's summary status as grant-service would. */
    private static void summary(GrantKey key, long generation, StatusReason reason, TenantCounts counts,
            String message) {
        topics.produce(Topics.GRANT_STATUS, key.format(), Json.writeBytes(GrantStatus.of(key, generation, reason,
                message, Instant.now()).withTenants(counts)));
    }

    /** Publishes the status of a selector grant's copy in {@code tenant}. */
    private static void copy(GrantKey key, String tenant, long generation, StatusReason reason, String message) {
        GrantKey copy = key.copyIn(tenant);
        topics.produce(Topics.GRANT_STATUS, copy.format(), Json.writeBytes(GrantStatus.of(copy, generation, reason,
                message, Instant.now())));
    }

    /** Waits until grantctl posted {@code generation} under {@code key}. */
    private static void awaitPosted(GrantKey key, long generation) {
        await().atMost(Duration.ofSeconds(60)).until(() -> topics.withKey(Topics.GRANTS, key.format()).stream()
                .anyMatch(r -> r.value() != null
                        && Json.readTree(r.value()).path("metadata").path("generation").asLong() == generation));
    }
}
