package dev.grantflow.testing;

import dev.grantflow.kafka.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs a real Kafka broker that requires authentication (SASL/SCRAM-SHA-512, KRaft {@code StandardAuthorizer}) for a
 * {@code @QuarkusTest}: the project's topics, one user per principal of {@link GrantflowAcls} with a random password,
 * and exactly the ACLs of {@link GrantflowAcls}. The launcher's own super user ({@link #BROKER_ADMIN}) creates them;
 * it is no Grantflow principal.
 *
 * <p>The application under test connects as the principal named by the init argument {@code principal}, configured
 * the way the Deployments configure it: {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM} and
 * {@code KAFKA_SASL_JAAS_CONFIG} (names as environment variables; Quarkus maps them to {@code security.protocol},
 * ... in the {@code default-kafka-broker} configuration and so in every channel). The test gets the broker with
 * {@code @InjectKafkaBroker}; {@link KafkaBroker#clientSecurity(String)} gives any principal's client settings.
 */
public class SaslKafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    /** The launcher's super user. */
    public static final String BROKER_ADMIN = "broker-admin";

    private KafkaBroker broker;
    private String principal;

    @Override
    public void init(Map<String, String> initArgs) {
        principal = initArgs.get("principal");
        if (principal == null || !GrantflowAcls.principals().contains(principal)) {
            throw new IllegalArgumentException("init argument 'principal' must be one of " + GrantflowAcls.principals());
        }
    }

    @Override
    public Map<String, String> start() {
        broker = start(KafkaBroker.Sasl.SCRAM_SHA_512);
        Map<String, Object> security = broker.clientSecurity(principal);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("KAFKA_SECURITY_PROTOCOL", (String) security.get("security.protocol"));
        config.put("KAFKA_SASL_MECHANISM", (String) security.get("sasl.mechanism"));
        config.put("KAFKA_SASL_JAAS_CONFIG", (String) security.get("sasl.jaas.config"));
        return config;
    }

    /**
     * Starts a SASL broker (mechanism PLAIN or SCRAM-SHA-512) with a user per Grantflow principal, the project's
     * topics and the ACLs of {@link GrantflowAcls}. The caller closes it.
     */
    public static KafkaBroker start(String mechanism) {
        Map<String, String> users = new HashMap<>();
        GrantflowAcls.principals().forEach(p -> users.put(p, randomPassword()));
        KafkaBroker broker = KafkaBroker.start(KafkaBroker.Options.defaults()
                .withSasl(new KafkaBroker.Sasl(mechanism, BROKER_ADMIN, randomPassword(), users)));
        try {
            broker.createTopics(GrantflowTopics.specs());
            try (Admin admin = broker.admin()) {
                admin.createAcls(GrantflowAcls.bindings()).all().get(30, TimeUnit.SECONDS);
                // The controller commits the ACLs; the broker's authorizer applies them from the metadata log a moment
                // later, and DescribeAcls answers from the broker: wait until it holds them all.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY).values()
                        .get(30, TimeUnit.SECONDS).size() < GrantflowAcls.RULES.size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the broker did not apply the ACLs within 30 s");
                    }
                    Thread.sleep(50);
                }
            }
            return broker;
        } catch (Exception e) {
            broker.close();
            throw new IllegalStateException("Could not set up the SASL broker's topics and ACLs: " + e, e);
        }
    }

    /** 32 hex characters from a SecureRandom: a fresh secret per broker, never printed. */
    public static String randomPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker, new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class,
                KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
