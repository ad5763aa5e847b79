package dev.grantflow.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.model.control.Deadline;
import dev.grantflow.model.event.CompactedTopicRead;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantMetadata;
import dev.grantflow.model.grant.GrantPodDefault;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.grant.GrantSecret;
import dev.grantflow.model.grant.GrantSpec;
import dev.grantflow.model.grant.SecretSource;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's scenario end to end: three real service processes (their packaged quarkus-app jars), the real Kafka
 * broker and the Kubernetes API stand-in. Asserts every step, and that the planted secret values appear nowhere but
 * in Kubernetes Secrets: not in any topic, header, status or service log.
 */
class LocalStackEndToEndTest {

    static Platform platform;
    static SeedScenario.Result result;

    @BeforeAll
    static void runScenario() {
        Path root = Path.of(System.getProperty("grantflow.home", "../..")).toAbsolutePath().normalize();
        platform = Platform.start(root);
        result = new SeedScenario(root, platform).run();
        tamperWithTheSealedGrant();
    }

    /**
     * After the scenario, alice's sealed grant is tampered with twice: its bytes changed under the administrator's
     * signature (refused, audited, nothing else changes), and its ciphertext changed and signed again (an authentic
     * record whose sealed value does not open: {@code Rejected/SealedDataInvalid}, the copy made from generation 1
     * stays). The canary scan below runs over what this left in topics and logs too.
     */
    static void tamperWithTheSealedGrant() {
        ConsumerRecord<String, String> original = readAll(Topics.GRANTS).stream()
                .filter(r -> "alice/api-token".equals(r.key()) && r.value() != null).reduce((a, b) -> b).orElseThrow();
        String signature = new String(original.headers().lastHeader(dev.grantflow.trust.Signatures.HEADER).value(),
                StandardCharsets.UTF_8);
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.readTree(original.value());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("metadata")).put("generation", 2);
        var sealed = (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("spec").get("secret").get("source")
                .get("sealedData");
        String[] parts = sealed.get("token").asText().split("\\.");
        byte[] ciphertext = java.util.Base64.getUrlDecoder().decode(parts[3]);
        ciphertext[0] ^= 1;
        parts[3] = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext);
        sealed.put("token", String.join(".", parts));
        String tampered = tree.toString();
        try (KafkaProducer<String, String> producer = producer()) {
            ProducerRecord<String, String> forged = new ProducerRecord<>(Topics.GRANTS, "alice/api-token", tampered);
            forged.headers().add(dev.grantflow.trust.Signatures.HEADER, signature.getBytes(StandardCharsets.UTF_8));
            producer.send(forged);
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> readAll(Topics.AUDIT).stream()
                    .anyMatch(r -> "alice/api-token".equals(r.key()) && r.value().contains("\"SignatureInvalid\"")));
            assertThat(latestStatus("alice/api-token")).contains("\"phase\":\"Applied\"").contains("\"generation\":1");
            producer.send(signed(null, "alice/api-token", tampered));
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                String.valueOf(latestStatus("alice/api-token")).contains("\"reason\":\"SealedDataInvalid\""));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void credentialsMaterializeWhenTheTenantAppearsAndReachTheNotebook() {
        assertThat(result.materializedMillis()).isPositive();
        assertThat(result.secretMountPath()).isEqualTo("/secret/test-secret");
        assertThat(result.dockerConfigPath()).isEqualTo("/home/jovyan/.docker/config.json");
        assertThat(result.tokenMountPath()).isEqualTo("/secret/api-token");
        // The sealed literal reached the tenant's Secret, opened.
        assertThat(platform.kube.client().secrets().inNamespace("alice").withName("api-token").get().getData()
                .get("token")).isIn(result.canaries());
    }

    @Test
    void grantctlPostedSignedRecordsAndTheAuditVerifiesThem() {
        assertThat(result.grantctl()).extracting(GrantctlRun.Outcome::exitCode).containsOnly(0);
        GrantctlRun.Outcome audit = result.grantctl().get(result.grantctl().size() - 1);
        assertThat(audit.command()).startsWith("audit");
        // Three grants and one revocation by the stack administrator, each verified again.
        assertThat(audit.stdout().lines().filter(line -> line.contains("alice/")).toList()).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(line -> assertThat(line).contains("local-admin").contains("yes"));
    }

    @Test
    void rotationAndRevocationTakeEffect() {
        assertThat(result.rotatedHashBefore()).startsWith("hmac-sha256:");
        assertThat(result.rotatedHashAfter()).startsWith("hmac-sha256:").isNotEqualTo(result.rotatedHashBefore());
        var kube = platform.kube.client();
        assertThat(kube.secrets().inNamespace("alice").withName("test-secret").get()).as("revoked Secret").isNull();
        assertThat(kube.resources(PodDefault.class).inNamespace("alice").withName("test-secret").get())
                .as("revoked PodDefault").isNull();
        assertThat(kube.secrets().inNamespace("alice").withName("docker-config").get()).as("kept Secret").isNotNull();
        assertThat(result.revokedPodUnmounted()).isTrue();
    }

    @Test
    void aRestartedGrantServiceRebuildsFromKafkaAndWritesNothing() {
        var kube = platform.kube.client();
        String secretVersion = kube.secrets().inNamespace("alice").withName("docker-config").get()
                .getMetadata().getResourceVersion();
        String podDefaultVersion = kube.resources(PodDefault.class).inNamespace("alice")
                .withName("docker-config").get().getMetadata().getResourceVersion();

        long statuses = aliceStatuses();

        platform.restartGrantService();
        // The start-up resync has reconciled every key (not merely: nothing queued yet).
        await().atMost(Duration.ofSeconds(60)).until(() -> platform.grantServiceResyncs() >= 1);

        assertThat(kube.secrets().inNamespace("alice").withName("docker-config").get().getMetadata()
                .getResourceVersion()).isEqualTo(secretVersion);
        assertThat(kube.resources(PodDefault.class).inNamespace("alice")
                .withName("docker-config").get().getMetadata().getResourceVersion()).isEqualTo(podDefaultVersion);
        assertThat(kube.secrets().inNamespace("alice").withName("test-secret").get()).as("still revoked").isNull();
        assertThat(aliceStatuses()).as("no status published again").isEqualTo(statuses);
        // The restart took the receipts of the status topic instead of verifying the keys' latest records again
        // (ADR 12): at least alice's three keys (two grants, one revocation) were spared their signature check.
        assertThat(platform.grantService.metric("grantflow_signature_checks_total{by=\"receipt\"")).as("%s",
                platform.grantService.metricLines("grantflow_signature_checks_total")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void secretValuesAppearNowhereButInKubernetesSecrets() throws IOException {
        List<String> haystacks = logsAndTopics();
        for (GrantctlRun.Outcome run : result.grantctl()) {
            haystacks.add(run.stdout());
            haystacks.add(run.stderr());
        }
        assertThat(haystacks).hasSizeGreaterThan(10);
        for (String canary : result.canaries()) {
            assertThat(haystacks).noneMatch(text -> text.contains(canary));
        }

        // The scan can see a value where one is: the administrators' source Secret holds the rotated one.
        String source = Json.write(platform.kube.client().secrets().inNamespace(Platform.SOURCE_NAMESPACE)
                .withName("test-secret").get());
        assertThat(result.canaries()).anyMatch(source::contains);
    }

    @Test
    void twoGrantServiceInstancesShareTheGrantsAndASurvivorTakesOverAfterACrash() throws Exception {
        var kube = platform.kube.client();
        kube.secrets().inNamespace(Platform.SOURCE_NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName("shared-src").withNamespace(Platform.SOURCE_NAMESPACE).endMetadata()
                .withData(Map.of("k", SeedScenario.base64("v"))).build()).create();
        List<String> keys = new ArrayList<>();
        Set<Integer> allPartitions = new TreeSet<>();
        ServiceProcess another = platform.startAnotherGrantService("another-grant-service");
        try (KafkaProducer<String, String> producer = producer()) {
            for (int t = 0; t < 6; t++) {
                for (int g = 0; g < 2; g++) {
                    var grant = Grant.of(new GrantMetadata(
                            "team-" + t, "cred-" + g, 1, Instant.now(), "admin@example.com"),
                            new GrantSpec(new GrantSecret(
                                    "cred-" + g, "Opaque", SecretSource.ofSecretRef(
                                            Platform.SOURCE_NAMESPACE, "shared-src")),
                                    new GrantPodDefault("cred-" + g, null, "cred-" + g,
                                            "/secret/cred-" + g, null, List.of()), null));
                    producer.send(signed(null, grant.key(), Json.write(grant)));
                    keys.add(grant.key());
                }
                kube.namespaces().resource(new NamespaceBuilder().withNewMetadata()
                        .withName("team-" + t).addToLabels("app.kubernetes.io/part-of", "kubeflow-profile")
                        .endMetadata().withNewStatus().withPhase("Active").endStatus().build()).create();
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> managedPodDefaults() == 12);
            // The group split the shards: each instance reconciles its own share (once a rebalance that an instance
            // of an earlier test leaving may have started is over).
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Set<Integer> first = platform.grantServiceShards();
                Set<Integer> second = Platform.grantsShards(another);
                Set<Integer> union = new TreeSet<>(first);
                union.addAll(second);
                return !first.isEmpty() && !second.isEmpty() && union.size() == first.size() + second.size()
                        && union.size() == 3;
            });
            allPartitions.addAll(platform.grantServiceShards());
            allPartitions.addAll(Platform.grantsShards(another));
            assertThat(allPartitions).containsExactly(0, 1, 2);
            Map<String, String> versions = podDefaultVersions();
            // Nobody fights over the objects.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                    .until(() -> podDefaultVersions().equals(versions));

            // The second instance crashes (SIGKILL: it never leaves the group). Once its session times out, the first
            // takes its shards over and serves the revocations posted meanwhile.
            another.kill();
            keys.forEach(key -> producer.send(signed(null, key, revocation(key, 2))));
            producer.flush();
        } finally {
            another.close();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> managedPodDefaults() == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> keys.stream()
                .allMatch(key -> String.valueOf(latestStatus(key)).contains("\"phase\":\"Revoked\"")));
        // The survivor acts on every shard now.
        await().atMost(Duration.ofSeconds(30)).until(() -> platform.grantServiceShards().equals(allPartitions));
    }

    /**
     * Grants from two producers with different partitioners (kcat, i.e. librdkafka's CRC32-based one, and Java with
     * an explicit random partition) arrive in a burst while a third grant-service instance joins the group and leaves
     * it again, moving shards twice. Every grant ends applied, the revocations (tombstones in other partitions than
     * their grants) take effect, and no live grant's Secret is ever deleted nor reported Revoked on the way. Run with
     * the eager protocol (every member gives up every shard on a rebalance) and the cooperative one (only the shards
     * that move are revoked; the first instance offers both, the others only the one under test, so the group uses
     * it).
     */
    @ParameterizedTest
    @ValueSource(strings = {"RangeAssignor", "CooperativeStickyAssignor"})
    void anyProducerAndAThirdInstanceJoiningAndLeavingMidBurstDeleteNothingLive(String assignor) throws Exception {
        String prefix = "burst-" + (assignor.startsWith("Range") ? "eager" : "coop") + "-";
        List<String> assignorOption = List.of("-Dmp.messaging.incoming.grants-in.partition.assignment.strategy="
                + "org.apache.kafka.clients.consumer." + assignor);
        var kube = platform.kube.client();
        kube.secrets().inNamespace(Platform.SOURCE_NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName("burst-src").withNamespace(Platform.SOURCE_NAMESPACE).endMetadata()
                .withData(Map.of("k", SeedScenario.base64("v"))).build()).createOr(existing -> existing.update());
        List<String> tenants = java.util.stream.IntStream.range(0, 5).mapToObj(i -> prefix + i).toList();
        for (String tenant : tenants) {
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(tenant)
                    .addToLabels("app.kubernetes.io/part-of", "kubeflow-profile").endMetadata().withNewStatus()
                    .withPhase("Active").endStatus().build()).create();
        }
        Queue<String> deleted = new ConcurrentLinkedQueue<>();
        ServiceProcess second = platform.startAnotherGrantService(prefix + "second-grant-service", assignorOption);
        AtomicBoolean stop = new AtomicBoolean();
        ScheduledExecutorService producers = Executors.newSingleThreadScheduledExecutor();
        try (Watch watch = kube.secrets().inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "grantflow")
                .watch(deletions(prefix, deleted));
                KafkaProducer<String, String> java = producer()) {
            // Five grants every 100 ms, until the third instance has come and gone and at least 100 were posted.
            List<String> posted = new ArrayList<>();
            Random random = new Random(42);
            CompletableFuture<List<String>> burst = new CompletableFuture<>();
            producers.scheduleAtFixedRate(() -> {
                if (burst.isDone()) {
                    return;
                }
                try {
                    for (int i = 0; i < 5; i++) {
                        int n = posted.size();
                        Grant grant = burstGrant(tenants.get(n % tenants.size()), "g-" + n, 1);
                        String value = Json.write(grant);
                        if (n % 2 == 0) {
                            Kcat.sendSigned(platform.broker.bootstrapServers(), Topics.GRANTS, grant.key(), value,
                                    platform.keys.sign(value));
                        } else {
                            java.send(signed(random.nextInt(3), grant.key(), value));
                        }
                        posted.add(grant.key());
                    }
                    java.flush();
                    if (stop.get() && posted.size() >= 100) {
                        burst.complete(List.copyOf(posted));
                    }
                } catch (RuntimeException e) {
                    burst.completeExceptionally(e);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            ServiceProcess third = platform.startAnotherGrantService(prefix + "third-grant-service", assignorOption);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> !Platform.grantsShards(third).isEmpty());
            } finally {
                third.close();
            }
            stop.set(true);
            List<String> keys = burst.get(2, TimeUnit.MINUTES);
            java.flush();
            await().atMost(Duration.ofSeconds(120)).until(() -> managedSecretKeys(prefix).size() == keys.size());
            assertThat(managedSecretKeys(prefix)).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(deleted).as("no live grant's Secret was deleted").isEmpty();

            // Revoke every third grant with a signed revocation, half of them by Java into another partition than the
            // grant's, half by kcat with its own partitioner.
            List<String> revoked = new ArrayList<>();
            for (int n = 0; n < keys.size(); n += 3) {
                String revocation = revocation(keys.get(n), 2);
                if (n % 2 == 0) {
                    java.send(signed((n + 1) % 3, keys.get(n), revocation));
                } else {
                    Kcat.sendSigned(platform.broker.bootstrapServers(), Topics.GRANTS, keys.get(n), revocation,
                            platform.keys.sign(revocation));
                }
                revoked.add(keys.get(n));
            }
            java.flush();
            List<String> live = keys.stream().filter(k -> !revoked.contains(k)).toList();
            await().atMost(Duration.ofSeconds(60)).until(() -> managedSecretKeys(prefix).size() == live.size());
            assertThat(managedSecretKeys(prefix)).containsExactlyInAnyOrderElementsOf(live);
            assertThat(deleted).containsExactlyInAnyOrderElementsOf(revoked);

            Map<String, List<String>> phases = new TreeMap<>();
            for (ConsumerRecord<String, String> record : readAll(Topics.GRANT_STATUS)) {
                if (record.key() != null && record.key().startsWith(prefix) && record.value() != null) {
                    phases.computeIfAbsent(record.key(), k -> new ArrayList<>())
                            .add(Json.readTree(record.value()).path("phase").asText());
                }
            }
            for (String key : live) {
                assertThat(phases.get(key)).as(key).contains("Applied").doesNotContain("Revoked");
            }
        } finally {
            producers.shutdownNow();
            second.close();
        }
    }

    /**
     * A selector grant (issue 11) posted by kcat, signed, while two grant-service instances share the shards: it
     * reaches every tenant whose labels match (set-based selector) and nothing else, follows tenants that appear and
     * labels that change, and is finished by the survivor when the instance owning its shard (so reconciling all its
     * copies) is SIGKILLed mid-rollout. A signed revocation removes every copy; the planted value appears only in
     * Kubernetes Secrets.
     */
    @Test
    void aSelectorGrantFromAnyProducerReachesEveryMatchingTenantAndSurvivesItsOwnersCrash() throws Exception {
        String prefix = "fleet-";
        String canary = "canary-" + UUID.randomUUID();
        var kube = platform.kube.client();
        kube.secrets().inNamespace(Platform.SOURCE_NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName("fleet-src").withNamespace(Platform.SOURCE_NAMESPACE).endMetadata()
                .withData(Map.of("token", SeedScenario.base64(canary))).build()).create();
        // Before the grant: eight matching tenants, two that are tenants but do not match, one that matches but is no
        // tenant; two of them change labels later.
        List<String> matching = new ArrayList<>(IntStream.range(0, 8).mapToObj(i -> prefix + "m" + i).toList());
        matching.forEach(t -> namespace(t, true, "ml"));
        namespace(prefix + "other", true, "other");
        namespace(prefix + "relabelled-in", true, "other");
        namespace(prefix + "not-a-tenant", false, "ml");

        ServiceProcess another = platform.startAnotherGrantService("selector-grant-service-2");
        try (ObjectEvents events = new ObjectEvents(kube, prefix);
                KafkaProducer<String, String> producer = producer()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> splitBetween(platform.grantService, another));
            // A name in a shard the second instance holds: it makes every copy until it is killed.
            Set<Integer> killedShards = Platform.grantsShards(another);
            String name = IntStream.range(0, 100).mapToObj(i -> "fleet-" + i)
                    .filter(n -> killedShards.contains(shardOf(GrantKey.selector(n)))).findFirst().orElseThrow();
            String key = GrantKey.selector(name).format();
            LabelSelector selector = new LabelSelectorBuilder().addNewMatchExpression().withKey("team")
                    .withOperator("In").withValues("ml", "data").endMatchExpression().build();
            Grant grant = Grant.of(GrantMetadata.forKey(GrantKey.selector(name), selector, 1, Instant.now(),
                    "admin@example.com"), new GrantSpec(new GrantSecret(name, "Opaque",
                    SecretSource.ofSecretRef(Platform.SOURCE_NAMESPACE, "fleet-src")),
                    new GrantPodDefault(name, null, name, "/secret/" + name, null, List.of()), null));
            String value = Json.write(grant);
            Kcat.sendSigned(platform.broker.bootstrapServers(), Topics.GRANTS, key, value, platform.keys.sign(value));

            // Mid-rollout (its first object exists), the owner is SIGKILLed; tenants change while nobody owns it.
            await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(60))
                    .until(() -> events.total("ADDED") > 0);
            another.kill();
            Set<String> madeAtKill = managedIn(prefix).stream().filter(o -> o.startsWith("Secret "))
                    .map(o -> o.substring("Secret ".length(), o.indexOf('/'))).collect(Collectors.toSet());
            // The tenant relabelled out is one that had its copy when the owner died, so that the copy must be
            // removed and reported; one never made has nothing to remove or report.
            String relabelledOut = matching.stream().filter(madeAtKill::contains).findFirst().orElseThrow();
            String survivorLog = Files.readString(platform.grantService.log());
            assertThat(Files.readString(another.log())).as("the killed instance made the copies")
                    .containsPattern("create Secret " + prefix + "m\\d/" + name);
            assertThat(survivorLog).doesNotContainPattern("create Secret " + prefix + "m\\d/" + name);
            namespace(prefix + "late", true, "data");
            namespace(prefix + "late-other", true, "other");
            relabel(relabelledOut, "other");
            relabel(prefix + "relabelled-in", "ml");
            matching.remove(relabelledOut);
            matching.add(prefix + "late");
            matching.add(prefix + "relabelled-in");
            List<String> unmatched = List.of(prefix + "other", relabelledOut, prefix + "not-a-tenant",
                    prefix + "late-other");

            // The survivor takes the shard over and finishes: every matching tenant has the value and the PodDefault,
            // the others nothing; the selector grant's status counts them all applied.
            await().atMost(Duration.ofSeconds(120)).until(() -> platform.grantServiceShards().equals(Set.of(0, 1, 2)));
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                JsonNode status = latestJson(key);
                return status != null && "Applied".equals(status.path("phase").asText())
                        && status.path("tenants").path("selected").asInt() == matching.size()
                        && status.path("tenants").path("applied").asInt() == matching.size();
            });
            Set<String> expected = new TreeSet<>();
            for (String tenant : matching) {
                expected.add("Secret " + tenant + "/" + name);
                expected.add("PodDefault " + tenant + "/" + name);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> managedIn(prefix).equals(expected));
            for (String tenant : matching) {
                assertThat(kube.secrets().inNamespace(tenant).withName(name).get().getData().get("token"))
                        .as("the value in %s", tenant).isEqualTo(SeedScenario.base64(canary));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        phaseOf(latestJson(tenant + "/*" + name))).as(tenant).isEqualTo("Applied"));
            }
            JsonNode counts = latestJson(key).path("tenants");
            assertThat(counts.path("pending").asInt() + counts.path("failed").asInt()
                    + counts.path("overridden").asInt()).isZero();
            // Reported after the objects are gone: waited for, not read once.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    reasonOf(latestJson(relabelledOut + "/*" + name))).as(relabelledOut).isEqualTo("TenantNotSelected"));
            for (String tenant : unmatched) {
                assertThat(kube.secrets().inNamespace(tenant).list().getItems()).as("Secrets in %s", tenant).isEmpty();
                assertThat(kube.resources(PodDefault.class).inNamespace(tenant).list().getItems())
                        .as("PodDefaults in %s", tenant).isEmpty();
            }
            // Nothing made twice across the crash: each copy created once, and deleted only where labels moved out.
            assertThat(events.broken()).isNull();
            for (String object : expected) {
                assertThat(events.count("ADDED", object.split(" ")[0], object.split(" ")[1])).as(object).isEqualTo(1);
                assertThat(events.count("DELETED", object.split(" ")[0], object.split(" ")[1])).as(object).isZero();
            }

            // A signed revocation (Java this time) removes every copy.
            producer.send(signed(null, key, Json.write(GrantRevocation.of(GrantMetadata.forKey(
                    GrantKey.selector(name), null, 2, Instant.now(), "admin@example.com")))));
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> managedIn(prefix).isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() -> "Revoked".equals(phaseOf(latestJson(key)))
                    && matching.stream().allMatch(t -> "Revoked".equals(phaseOf(latestJson(t + "/*" + name)))));
            System.out.printf("SELECTOR %s (shard %d) owned by the killed instance (shards %s), which had made %d of "
                    + "%d Secrets when SIGKILLed; the survivor finished %d tenants%n", key,
                    shardOf(GrantKey.selector(name)), killedShards, madeAtKill.size(), 8, matching.size());

            List<String> haystacks = logsAndTopics();
            assertThat(haystacks).noneMatch(text -> text.contains(canary) || text.contains(SeedScenario.base64(canary)));
        } finally {
            another.close();
        }
    }

    /** A namespace labelled {@code team=<team>}, and as a Kubeflow profile (a tenant) when {@code tenant}. */
    static void namespace(String name, boolean tenant, String team) {
        var namespace = new NamespaceBuilder().withNewMetadata().withName(name).addToLabels("team", team)
                .endMetadata().withNewStatus().withPhase("Active").endStatus();
        if (tenant) {
            namespace.editMetadata().addToLabels("app.kubernetes.io/part-of", "kubeflow-profile").endMetadata();
        }
        platform.kube.client().namespaces().resource(namespace.build()).create();
    }

    static void relabel(String name, String team) {
        var namespace = platform.kube.client().namespaces().withName(name).get();
        Map<String, String> labels = new java.util.HashMap<>(namespace.getMetadata().getLabels());
        labels.put("team", team);
        namespace.getMetadata().setLabels(labels);
        platform.kube.client().namespaces().resource(namespace).update();
    }

    /** {@code Secret <ns>/<name>} and {@code PodDefault <ns>/<name>} of the managed objects under the prefix. */
    static Set<String> managedIn(String prefix) {
        var kube = platform.kube.client();
        Set<String> objects = new TreeSet<>();
        kube.secrets().inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "grantflow").list().getItems()
                .stream().filter(s -> s.getMetadata().getNamespace().startsWith(prefix))
                .forEach(s -> objects.add("Secret " + s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()));
        kube.resources(PodDefault.class).inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "grantflow")
                .list().getItems().stream().filter(p -> p.getMetadata().getNamespace().startsWith(prefix))
                .forEach(p -> objects.add("PodDefault " + p.getMetadata().getNamespace() + "/"
                        + p.getMetadata().getName()));
        return objects;
    }

    /**
     * The grant shard of {@code key}: grant-service's {@code Shards.shardOf} (FNV-1a over the key's UTF-8 bytes, modulo
     * the grants topic's partitions), which is not on this classpath; the test checks from the logs that the instance
     * holding this shard is the one that made the copies.
     */
    static int shardOf(GrantKey key) {
        int hash = 0x811c9dc5;
        for (byte b : key.format().getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        int partitions = Topics.ALL.stream().filter(t -> t.name().equals(Topics.GRANTS)).findFirst().orElseThrow()
                .partitions();
        return Math.floorMod(hash, partitions);
    }

    /** The grant shards are split between the two instances: each holds some, together all three, none twice. */
    static boolean splitBetween(ServiceProcess first, ServiceProcess second) {
        Set<Integer> a = Platform.grantsShards(first);
        Set<Integer> b = Platform.grantsShards(second);
        Set<Integer> union = new TreeSet<>(a);
        union.addAll(b);
        return !a.isEmpty() && !b.isEmpty() && union.equals(Set.of(0, 1, 2)) && a.size() + b.size() == 3;
    }

    /** Every service log, and every record (key, value, headers) of every topic. */
    static List<String> logsAndTopics() throws IOException {
        List<String> haystacks = new ArrayList<>();
        for (Path log : platform.logs()) {
            haystacks.add(Files.readString(log));
        }
        for (Topics.Definition topic : Topics.ALL) {
            for (ConsumerRecord<String, String> record : readAll(topic.name())) {
                haystacks.add(record.key() + " " + record.value());
                record.headers().forEach(h -> haystacks.add(new String(h.value(), StandardCharsets.UTF_8)));
            }
        }
        return haystacks;
    }

    static String phaseOf(JsonNode status) {
        return status == null ? null : status.path("phase").asText();
    }

    static String reasonOf(JsonNode status) {
        return status == null ? null : status.path("reason").asText();
    }

    static JsonNode latestJson(String key) {
        String status = latestStatus(key);
        return status == null ? null : Json.readTree(status);
    }

    /** A grants record signed with the stack administrator's key, into {@code partition} (null: the partitioner's). */
    static ProducerRecord<String, String> signed(Integer partition, String key, String value) {
        return SignedRecords.signed(platform.keys, partition, key, value);
    }

    /** A revocation of every generation up to {@code generation} of {@code key} ({@code <tenant>/<grant>}). */
    static String revocation(String key, long generation) {
        return SignedRecords.revocation(key, generation);
    }

    static Grant burstGrant(String tenant, String name, long generation) {
        return Grant.of(new GrantMetadata(tenant, name, generation, Instant.now(), "admin@example.com"),
                new GrantSpec(new GrantSecret(name, "Opaque", SecretSource.ofSecretRef(Platform.SOURCE_NAMESPACE,
                        "burst-src")), new GrantPodDefault(name, null, name, "/secret/" + name, null, List.of()),
                        null));
    }

    /** {@code <namespace>/<grant>} of the managed Secrets in namespaces starting with {@code prefix}. */
    static List<String> managedSecretKeys(String prefix) {
        return platform.kube.client().secrets().inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "grantflow").list().getItems().stream()
                .filter(s -> s.getMetadata().getNamespace().startsWith(prefix))
                .map(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()).toList();
    }

    static Watcher<Secret> deletions(String prefix, Queue<String> deleted) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Secret secret) {
                if (action == Action.DELETED && secret.getMetadata().getNamespace().startsWith(prefix)) {
                    deleted.add(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    static long managedPodDefaults() {
        return platform.kube.client().resources(PodDefault.class).inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "grantflow").list().getItems().stream()
                .filter(pd -> pd.getMetadata().getNamespace().startsWith("team-")).count();
    }

    static Map<String, String> podDefaultVersions() {
        Map<String, String> versions = new TreeMap<>();
        platform.kube.client().resources(PodDefault.class).inAnyNamespace().list()
                .getItems().stream().filter(pd -> pd.getMetadata().getNamespace().startsWith("team-"))
                .forEach(pd -> versions.put(pd.getMetadata().getNamespace() + "/" + pd.getMetadata().getName(),
                        pd.getMetadata().getResourceVersion()));
        return versions;
    }

    static String latestStatus(String key) {
        String latest = null;
        for (ConsumerRecord<String, String> record : readAll(Topics.GRANT_STATUS)) {
            if (key.equals(record.key())) {
                latest = record.value();
            }
        }
        return latest;
    }

    static long aliceStatuses() {
        return readAll(Topics.GRANT_STATUS).stream().filter(r -> r.key() != null && r.key().startsWith("alice/")).count();
    }

    static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.broker.bootstrapServers());
        return new KafkaProducer<>(props,
                new StringSerializer(),
                new StringSerializer());
    }

    static List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.broker.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            CompactedTopicRead.toEnd(new CompactedTopicRead.Log<>(topic, partitions, consumer.endOffsets(partitions),
                    consumer::position, () -> consumer.poll(Duration.ofMillis(100))),
                    Deadline.after(Duration.ofSeconds(30)), records::add);
        }
        return records;
    }
}
