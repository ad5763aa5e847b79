package dev.grantflow.grant.kube;

import static dev.grantflow.grant.kube.GrantTestSupport.decode;
import static dev.grantflow.grant.kube.GrantTestSupport.grant;
import static dev.grantflow.grant.kube.GrantTestSupport.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.grant.domain.GrantLedger;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.testing.InjectKubeApiProxy;
import dev.grantflow.testing.InjectMockKubeClient;
import dev.grantflow.testing.KafkaBrokerResource;
import dev.grantflow.testing.KubeApiProxy;
import dev.grantflow.testing.KubeApiProxy.Answer;
import dev.grantflow.testing.KubeApiProxyResource;
import dev.grantflow.testing.KubeStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An outage of the Kubernetes API during a burst of grants: for {@link #OUTAGE} every write into four tenants fails,
 * each tenant with one kind of failure a real kube-apiserver gives under trouble (409 AlreadyExists, 429 with
 * {@code Retry-After}, 500, no answer at all), then the API recovers. Everything must converge (every grant
 * {@code Applied}, the objects right), the proxy's request log must show backoff and not a hot loop (requests per key
 * during the outage below a ceiling derived from the configured backoff), and a key answered 429 is never retried
 * before its {@code Retry-After}. The measured figures are logged ({@code API outage:} lines in
 * {@code target/grant-service-test.log}).
 *
 * <p>{@link KubeApiRealismTest} covers single refusals and single transient failures; this class covers a window of
 * failures over many keys at once.
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiProxyResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class KubeApiOutageTest {

    private static final Logger LOG = Logger.getLogger(KubeApiOutageTest.class);

    static final String CANARY = "canary-" + UUID.randomUUID();
    static final String CANARY_B64 = Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8));
    /** How long the API fails every write into the four tenants. */
    static final Duration OUTAGE = Duration.ofSeconds(10);
    static final int GRANTS_PER_TENANT = 4;
    static final int RETRY_AFTER_SECONDS = 2;
    /** Clock tolerance between the proxy's request times and the work queue's delays. */
    static final Duration CLOCK_SLACK = Duration.ofMillis(50);
    static final Pattern WRITE_PATH = Pattern.compile(
            "/(?:api/v1|apis/kubeflow\\.org/v1alpha1)/namespaces/([^/]+)/(secrets|poddefaults)(?:/([^/]+))?");

    /** One tenant per failure kind; every write into it is answered so during the outage. */
    enum Failure {
        CONFLICT("outage-conflict"), THROTTLED("outage-throttled"), ERROR("outage-error"), SILENT("outage-silent");

        final String tenant;

        Failure(String tenant) {
            this.tenant = tenant;
        }

        Answer answer() {
            return switch (this) {
                case CONFLICT -> Answer.status(KubeStatus.alreadyExists("", "secrets", "outage"));
                case THROTTLED -> Answer.status(KubeStatus.tooManyRequests("Too many requests, please try again later.",
                        RETRY_AFTER_SECONDS)).withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
                case ERROR -> Answer.status(KubeStatus.internalError("etcdserver: leader changed"));
                case SILENT -> Answer.hang();
            };
        }

        String grantName(int i) {
            return name().toLowerCase(Locale.ROOT) + "-" + i;
        }

        String key(int i) {
            return tenant + "/" + grantName(i);
        }
    }

    static GrantTestSupport kafka;

    @InjectKubeApiProxy
    KubeApiProxy proxy;

    @InjectMockKubeClient
    KubernetesClient kube;

    @BeforeAll
    static void connect() {
        kafka = new GrantTestSupport(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void noSecretValueLeaked() throws Exception {
        kafka.closeCheckingNothingLeaked(CANARY, CANARY_B64);
    }

    @Test
    void aBurstOfGrantsDuringAnApiOutageConvergesWithBoundedRetriesAndRetryAfterHonoured() {
        // Everything a grant needs is in place and known to the service before the outage, so that the only triggers
        // during it are the grant records themselves and the retries.
        GrantLedger ledger = Arc.container().instance(GrantLedger.class).get();
        ManagedObjectsWatch watch = Arc.container().instance(ManagedObjectsWatch.class).get();
        for (Failure failure : Failure.values()) {
            kafka.tenantCreated(kube, failure.tenant);
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.tenantExists(failure.tenant));
            for (int i = 0; i < GRANTS_PER_TENANT; i++) {
                String name = failure.grantName(i);
                source(kube, name, Map.of("token", CANARY + "-" + name));
                await().atMost(Duration.ofSeconds(30)).until(() -> watch.source(name) != null);
            }
        }

        List<KubeApiProxy.Fault> faults = new ArrayList<>();
        for (Failure failure : Failure.values()) {
            for (String method : List.of("POST", "PUT", "DELETE")) {
                faults.add(proxy.inject(method, "/api/v1/namespaces/" + failure.tenant + "/secrets(/.*)?",
                        failure.answer()));
                faults.add(proxy.inject(method, "/apis/kubeflow\\.org/v1alpha1/namespaces/" + failure.tenant
                        + "/poddefaults(/.*)?", failure.answer()));
            }
        }
        Instant outageStart = Instant.now();
        for (Failure failure : Failure.values()) {
            for (int i = 0; i < GRANTS_PER_TENANT; i++) {
                kafka.post(grant(failure.tenant, failure.grantName(i), 1));
            }
        }

        // Every key reports the trouble while it lasts ...
        for (Failure failure : Failure.values()) {
            for (int i = 0; i < GRANTS_PER_TENANT; i++) {
                kafka.awaitStatus(failure.key(i), "Failed", "KubernetesError");
            }
        }
        // ... and nothing is applied until the outage ends.
        Duration left = Duration.between(Instant.now(), outageStart.plus(OUTAGE));
        if (!left.isNegative() && !left.isZero()) {
            await().during(left).atMost(left.plusSeconds(5)).until(() -> allKeys().stream()
                    .noneMatch(key -> lastPhaseIs(key, "Applied")));
        }
        faults.forEach(KubeApiProxy.Fault::clear);
        Instant outageEnd = Instant.now();

        for (String key : allKeys()) {
            kafka.awaitStatus(key, "Applied", "Applied");
        }
        Duration convergence = Duration.between(outageEnd, Instant.now());

        for (Failure failure : Failure.values()) {
            for (int i = 0; i < GRANTS_PER_TENANT; i++) {
                String name = failure.grantName(i);
                Secret secret = kube.secrets().inNamespace(failure.tenant).withName(name).get();
                assertThat(secret).as(failure.key(i)).isNotNull();
                assertThat(decode(secret.getData().get("token"))).isEqualTo(CANARY + "-" + name);
                assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "grantflow");
                PodDefault podDefault = kube.resources(PodDefault.class).inNamespace(failure.tenant).withName(name)
                        .get();
                assertThat(podDefault).as(failure.key(i)).isNotNull();
                assertThat(podDefault.getSpec().getVolumeMounts()).singleElement()
                        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/secret/" + name));
            }
        }

        // The request rate during the outage, from the proxy's log.
        Duration window = Duration.between(outageStart, outageEnd);
        double seconds = window.toMillis() / 1000.0;
        Map<String, Integer> perKey = new LinkedHashMap<>();
        allKeys().forEach(key -> perKey.put(key, 0));
        int total = 0;
        for (KubeApiProxy.Request request : proxy.requests()) {
            String key = writeKey(request);
            if (key == null || !perKey.containsKey(key) || request.at().isBefore(outageStart)
                    || request.at().isAfter(outageEnd)) {
                continue;
            }
            perKey.merge(key, 1, Integer::sum);
            total++;
        }
        Duration initial = ConfigProvider.getConfig().getValue("grantflow.grants.reconcile.initial-backoff",
                Duration.class);
        Duration max = ConfigProvider.getConfig().getValue("grantflow.grants.reconcile.max-backoff", Duration.class);
        int attempts = maxAttempts(window, initial, max);
        // At most two requests per attempt (a create answered 409 is followed by one read), and twice that again for
        // triggers other than the retries: generous, while a hot loop against this proxy makes hundreds a second.
        int ceiling = 2 * 2 * attempts;
        LOG.infof("API outage: %d grant keys, outage %.1f s, %d requests into the failing tenants (%.1f per s); "
                + "backoff %s doubling to %s allows at most %d attempts per key, ceiling %d requests per key "
                + "(%.1f per key per s); converged %d ms after the API recovered", perKey.size(), seconds, total,
                total / seconds, initial, max, attempts, ceiling, ceiling / seconds, convergence.toMillis());
        for (Failure failure : Failure.values()) {
            List<Integer> counts = new ArrayList<>();
            for (int i = 0; i < GRANTS_PER_TENANT; i++) {
                counts.add(perKey.get(failure.key(i)));
            }
            LOG.infof("API outage: %-9s requests per key %s, max %.2f per key per s", failure, counts,
                    counts.stream().mapToInt(Integer::intValue).max().orElse(0) / seconds);
        }
        perKey.forEach((key, count) -> {
            // Retried during the outage, not given up ...
            assertThat(count).as("requests of %s during the outage", key).isGreaterThanOrEqualTo(2);
            // ... with backoff, not in a hot loop.
            assertThat(count).as("requests of %s during the outage (%s)", key, perKey).isLessThanOrEqualTo(ceiling);
        });

        // 429 with Retry-After: no attempt of the key before the delay the API server asked for, the first attempt
        // after the recovery included.
        for (int i = 0; i < GRANTS_PER_TENANT; i++) {
            String name = Failure.THROTTLED.grantName(i);
            List<Instant> creates = proxy.requests("POST", "/api/v1/namespaces/" + Failure.THROTTLED.tenant + "/secrets")
                    .stream().filter(r -> name.equals(Json.readTree(r.body()).at("/metadata/name").asText()))
                    .map(KubeApiProxy.Request::at).toList();
            assertThat(creates).as(name).hasSizeGreaterThanOrEqualTo(3);
            List<Long> gaps = new ArrayList<>();
            for (int j = 1; j < creates.size(); j++) {
                gaps.add(Duration.between(creates.get(j - 1), creates.get(j)).toMillis());
            }
            LOG.infof("API outage: %s attempts %s ms apart (Retry-After %d s)", name, gaps, RETRY_AFTER_SECONDS);
            assertThat(gaps).as("ms between the creates of %s", name)
                    .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(
                            Duration.ofSeconds(RETRY_AFTER_SECONDS).minus(CLOCK_SLACK).toMillis()));
        }
        assertThat(kafka.statuses(Failure.THROTTLED.key(0))).anySatisfy(s -> assertThat(s.get("message").asText())
                .contains("429 (TooManyRequests)").contains("retrying in " + RETRY_AFTER_SECONDS + " s as asked"));
        assertThat(kafka.statuses(Failure.SILENT.key(0))).anySatisfy(s -> assertThat(s.get("message").asText())
                .contains("no answer ("));
        assertThat(kafka.statuses(Failure.ERROR.key(0))).anySatisfy(s -> assertThat(s.get("message").asText())
                .contains("500 (InternalError)").contains("retrying with backoff"));
        assertThat(kafka.statuses(Failure.CONFLICT.key(0))).anySatisfy(s -> assertThat(s.get("message").asText())
                .contains("409 (AlreadyExists)"));
    }

    /**
     * The most attempts one key can make in {@code window} when every attempt fails: the first at once, then after
     * the shortest delays the jittered backoff can draw (half of {@code initial * 2^n}, capped at {@code max}).
     */
    static int maxAttempts(Duration window, Duration initial, Duration max) {
        long elapsed = 0;
        int attempts = 1;
        for (int n = 0; ; n++) {
            long delay = Math.min(initial.toNanos() << Math.min(n, 40), max.toNanos()) / 2;
            if (elapsed + delay > window.toNanos()) {
                return attempts;
            }
            elapsed += delay;
            attempts++;
        }
    }

    /** The grant key a write or read of a Secret or PodDefault belongs to (the object name is the grant name). */
    static String writeKey(KubeApiProxy.Request request) {
        Matcher path = WRITE_PATH.matcher(request.path());
        if (!path.matches() || request.watch()) {
            return null;
        }
        String name = path.group(3);
        if (name == null) {
            if (!"POST".equals(request.method())) {
                return null; // a LIST
            }
            JsonNode body = Json.readTree(request.body());
            name = body.at("/metadata/name").asText();
        }
        return path.group(1) + "/" + name;
    }

    static List<String> allKeys() {
        List<String> keys = new ArrayList<>();
        for (Failure failure : Failure.values()) {
            for (int i = 0; i < GRANTS_PER_TENANT; i++) {
                keys.add(failure.key(i));
            }
        }
        return keys;
    }

    static boolean lastPhaseIs(String key, String phase) {
        List<JsonNode> all = kafka.statuses(key);
        return !all.isEmpty() && phase.equals(all.get(all.size() - 1).get("phase").asText());
    }
}
