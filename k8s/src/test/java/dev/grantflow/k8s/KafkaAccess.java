package dev.grantflow.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.testing.GrantflowAcls;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the services do on Kafka, read from their {@code application.properties} (channels: topic, direction,
 * dead-letter topic, consumer group), and a Strimzi KafkaUser's ACLs as {@link GrantflowAcls.Rule}-like strings, so
 * that the checks compare manifests, code and the tests' ACL table.
 */
final class KafkaAccess {

    /** A Deployment's KafkaUser is named after it: grantflow-&lt;deployment&gt;. */
    static String userOf(String deployment) {
        return "grantflow-" + deployment;
    }

    /** The services that use Kafka (admission-service does not: no Kafka extension, no channel). */
    static final Set<String> KAFKA_SERVICES = Set.of(CodeNeeds.NAMESPACE_WATCHER.name(), CodeNeeds.GRANT_SERVICE.name());

    /** A service's use of Kafka: topics it reads and writes through channels, and its consumer groups. */
    record Use(Set<String> reads, Set<String> writes, Set<String> groups) {
    }

    private static final Pattern CHANNEL = Pattern.compile(
            "mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(topic|group\\.id|dead-letter-queue\\.topic)");

    /** The channels of {@code <service>/src/main/resources/application.properties}; groups as written (with ${..}). */
    static Use use(String service) {
        Properties properties = new Properties();
        Path file = Manifests.ROOT.getParent().resolve(service).resolve("src/main/resources/application.properties");
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> reads = new TreeSet<>();
        Set<String> writes = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = CHANNEL.matcher(key);
            if (!m.matches()) {
                continue;
            }
            String value = properties.getProperty(key).trim();
            switch (m.group(3)) {
                case "topic" -> ("incoming".equals(m.group(1)) ? reads : writes).add(value);
                case "dead-letter-queue.topic" -> writes.add(value);
                default -> groups.add(value);
            }
        }
        return new Use(reads, writes, groups);
    }

    /** Whether a group ACL (name, literal or prefix) covers a group id as configured ({@code ${..}} = any text). */
    static boolean covers(String aclName, String patternType, String groupId) {
        int placeholder = groupId.indexOf("${");
        String fixed = placeholder < 0 ? groupId : groupId.substring(0, placeholder);
        if ("prefix".equals(patternType)) {
            return fixed.startsWith(aclName);
        }
        return placeholder < 0 && aclName.equals(groupId);
    }

    /**
     * A KafkaUser's ACLs as "principal OPERATION TYPE name" strings ("name*" for a prefix), the format of
     * {@link GrantflowAcls.Rule#toString()}.
     */
    static Set<String> rules(ObjectNode user) {
        Set<String> out = new TreeSet<>();
        for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
            JsonNode resource = acl.path("resource");
            String name = resource.path("name").asText("") + ("prefix".equals(resource.path("patternType")
                    .asText("literal")) ? "*" : "");
            for (JsonNode op : operations(acl)) {
                out.add(Manifests.name(user) + " " + constant(op.asText()) + " " + constant(resource.path("type")
                        .asText()) + " " + name);
            }
        }
        return out;
    }

    static Iterable<JsonNode> operations(JsonNode acl) {
        if (acl.has("operations")) {
            return acl.path("operations");
        }
        return acl.has("operation") ? java.util.List.of(acl.path("operation")) : java.util.List.of();
    }

    /** The table of the tests' SASL broker, in the same format. */
    static Map<String, Set<String>> table() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (GrantflowAcls.Rule rule : GrantflowAcls.RULES) {
            out.computeIfAbsent(rule.principal(), p -> new TreeSet<>()).add(rule.toString());
        }
        return out;
    }

    /** Strimzi's spelling (Read, IdempotentWrite, transactionalId) as Kafka's enum constant (READ, IDEMPOTENT_WRITE). */
    static String constant(String strimzi) {
        return strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private KafkaAccess() {
    }
}
