package dev.grantflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ACL table ({@link GrantflowAcls}) enforced by a real broker that requires SASL/SCRAM-SHA-512: for every
 * principal and every topic, writing and reading succeed exactly when the table allows them, with clients configured
 * as the services configure theirs (idempotent producers with acks=all, consumers by assignment, the SASL settings
 * the Deployments pass). Clients without SASL settings, or with a wrong password, get nothing.
 */
class SaslBrokerAclTest {

    static KafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = SaslKafkaBrokerResource.start(KafkaBroker.Sasl.SCRAM_SHA_512);
        // One record per topic, written by the launcher's super user, for the readers to find.
        try (KafkaProducer<String, String> producer = producer(superUser())) {
            for (Topics.Definition topic : Topics.ALL) {
                producer.send(new ProducerRecord<>(topic.name(), 0, "seed", "seed")).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            String log = Files.readString(broker.logFile(), StandardCharsets.UTF_8);
            for (String user : GrantflowAcls.principals()) {
                assertThat(log).as("broker log").doesNotContain(password(user));
            }
            broker.close();
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (String principal : GrantflowAcls.principals()) {
            for (Topics.Definition topic : Topics.ALL) {
                cases.add(Arguments.of(principal, topic.name()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("matrix")
    void writesAndReadsExactlyWhatTheTableAllows(String principal, String topic) throws Exception {
        Map<String, Object> client = config(principal);
        boolean mayWrite = allowed(principal, topic, AclOperation.WRITE);
        boolean mayRead = allowed(principal, topic, AclOperation.READ);

        try (KafkaProducer<String, String> producer = producer(client)) {
            var sent = producer.send(new ProducerRecord<>(topic, 0, "acl-test/" + principal, "{}"));
            if (mayWrite) {
                assertThat(sent.get(30, TimeUnit.SECONDS).topic()).isEqualTo(topic);
            } else {
                assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS)).as(principal + " writes " + topic)
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer(client)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            if (mayRead) {
                assertThat(pollFirst(consumer).key()).isEqualTo("seed");
            } else {
                assertThatThrownBy(() -> pollFirst(consumer)).as(principal + " reads " + topic)
                        .isInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    /** The rules that matter most, spelled out independently of the table (the matrix above follows the table). */
    @ParameterizedTest(name = "{0} writes {1}: {2}")
    @org.junit.jupiter.params.provider.CsvSource({
            "grantflow-admin,             grantflow.grants.v1,       true",
            "grantflow-grant-service,     grantflow.grants.v1,       false",
            "grantflow-namespace-watcher, grantflow.grants.v1,       false",
            "grantflow-namespace-watcher, grantflow.tenants.v1,      true",
            "grantflow-grant-service,     grantflow.tenants.v1,      false",
            "grantflow-admin,             grantflow.tenants.v1,      false",
            "grantflow-grant-service,     grantflow.grant-status.v1, true",
            "grantflow-admin,             grantflow.grant-status.v1, false",
            "grantflow-grant-service,     grantflow.audit.v1,        true",
            "grantflow-admin,             grantflow.audit.v1,        false",
            "grantflow-grant-service,     grantflow.grants.v1.dlq,   true"})
    void onlyTheAdministratorWritesGrants(String principal, String topic, boolean allowed) throws Exception {
        try (KafkaProducer<String, String> producer = producer(config(principal))) {
            // A bare tombstone: what would revoke a grant if anyone could write it.
            var sent = producer.send(new ProducerRecord<>(topic, "alice/test-secret", null));
            if (allowed) {
                assertThat(sent.get(30, TimeUnit.SECONDS).topic()).isEqualTo(topic);
            } else {
                assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void theGrantsTopicIsWritableByTheAdministratorAlone() {
        assertThat(GrantflowAcls.RULES).filteredOn(r -> r.type() == ResourceType.TOPIC
                        && r.name().equals(Topics.GRANTS) && r.operation() == AclOperation.WRITE)
                .extracting(GrantflowAcls.Rule::principal).containsExactly(GrantflowAcls.ADMIN);
    }

    @Test
    void grantServiceJoinsItsOwnGroupsOnly() {
        Map<String, Object> grantService = config(GrantflowAcls.GRANT_SERVICE);
        // grants-in's group and a tenants-in group (grantflow-grant-service-tenants-<uuid>): the prefix rule.
        for (String group : List.of("grantflow-grant-service", "grantflow-grant-service-tenants-0b5a")) {
            assertThat(pollInGroup(grantService, group, Topics.TENANTS).key()).isEqualTo("seed");
        }
        assertThatThrownBy(() -> pollInGroup(grantService, "another-group", Topics.TENANTS))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThatThrownBy(() -> pollInGroup(config(GrantflowAcls.NAMESPACE_WATCHER), "grantflow-grant-service",
                Topics.TENANTS)).isInstanceOf(GroupAuthorizationException.class);
        assertThatThrownBy(() -> pollInGroup(config(GrantflowAcls.ADMIN), "grantflow-admin", Topics.GRANTS))
                .as("grantctl reads by assignment: no group").isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void everyPrincipalMayDescribeTheClusterWithoutAClusterRule() throws Exception {
        // namespace-watcher's readiness (KafkaReachability) describes the cluster.
        for (String principal : GrantflowAcls.principals()) {
            try (Admin admin = Admin.create(config(principal))) {
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
            }
        }
    }

    @Test
    void aClientWithoutSaslSettingsGetsNothing() {
        Map<String, Object> plain = new HashMap<>();
        plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(plain)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                    .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> wrong = config(GrantflowAcls.ADMIN);
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + GrantflowAcls.ADMIN + "\" password=\"" + SaslKafkaBrokerResource.randomPassword()
                + "\";");
        try (Admin admin = Admin.create(wrong)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theLauncherAlsoOffersSaslPlain() throws Exception {
        try (KafkaBroker plain = SaslKafkaBrokerResource.start(KafkaBroker.Sasl.PLAIN)) {
            assertThat(plain.clientSecurity(GrantflowAcls.ADMIN)).containsEntry("sasl.mechanism", "PLAIN");
            Map<String, Object> admin = new HashMap<>(plain.clientSecurity(GrantflowAcls.ADMIN));
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plain.bootstrapServers());
            Map<String, Object> grantService = new HashMap<>(plain.clientSecurity(GrantflowAcls.GRANT_SERVICE));
            grantService.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plain.bootstrapServers());
            try (KafkaProducer<String, String> producer = producer(admin)) {
                assertThat(producer.send(new ProducerRecord<>(Topics.GRANTS, "alice/x", "{}")).get(30, TimeUnit.SECONDS)
                        .topic()).isEqualTo(Topics.GRANTS);
            }
            try (KafkaProducer<String, String> producer = producer(grantService)) {
                var sent = producer.send(new ProducerRecord<>(Topics.GRANTS, "alice/x", null));
                assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    static boolean allowed(String principal, String topic, AclOperation operation) {
        return GrantflowAcls.of(principal).stream().anyMatch(r -> r.type() == ResourceType.TOPIC
                && r.name().equals(topic) && r.operation() == operation);
    }

    static Map<String, Object> config(String principal) {
        Map<String, Object> config = new HashMap<>(broker.clientSecurity(principal));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return config;
    }

    static Map<String, Object> superUser() {
        return config(SaslKafkaBrokerResource.BROKER_ADMIN);
    }

    static String password(String user) {
        String jaas = broker.sasl().jaasConfig(user);
        return jaas.substring(jaas.indexOf("password=\"") + 10, jaas.lastIndexOf('"'));
    }

    /** As the services' producers: acks=all, idempotent (application.properties). */
    static KafkaProducer<String, String> producer(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.keySet().removeIf(k -> k.startsWith("default.api"));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** As the services' assigned readers: no group, no commits. */
    static KafkaConsumer<String, String> consumer(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** The first record, polling up to 20 s; authorization errors surface from poll. */
    static ConsumerRecord<String, String> pollFirst(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                return record;
            }
        }
        throw new AssertionError("no record within 20 s");
    }

    static ConsumerRecord<String, String> pollInGroup(Map<String, Object> client, String group, String topic) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            return pollFirst(consumer);
        }
    }
}
