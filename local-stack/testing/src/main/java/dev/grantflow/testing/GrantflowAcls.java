package dev.grantflow.testing;

import dev.grantflow.model.event.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on Grantflow's Kafka topics and groups: the ACL table of k8s/README.md ("Kafka ACLs"). The SASL
 * broker of the tests enforces exactly these rules ({@link SaslKafkaBrokerResource}); the k8s module's tests keep the
 * Strimzi overlay's KafkaUsers equal to them. Principals are the KafkaUser names (Strimzi's SCRAM principal is
 * {@code User:<KafkaUser name>}).
 *
 * <ul>
 *   <li>administrators alone write the grants topic (a bare tombstone or a forged grant from anyone else is refused
 *       by the broker), and read grants, status and audit (grantctl reads by assignment, no consumer group);</li>
 *   <li>namespace-watcher writes and reads tenants (its leader reads the live keys back by assignment);</li>
 *   <li>grant-service reads grants and tenants (group {@code grantflow-grant-service} and the per-instance tenants
 *       groups {@code grantflow-grant-service-tenants-<uuid>}: one prefix rule; the grants view and the status
 *       read-back are assigned consumers without a group), writes status, audit and the dead-letter topic, and reads
 *       status back.</li>
 * </ul>
 * No cluster rule: the producers are idempotent, which since Kafka 3.0 (KIP-679) needs Write on the topic, not
 * IdempotentWrite on the cluster; no transactions; describing the cluster (readiness) needs no ACL.
 */
public final class GrantflowAcls {

    public static final String ADMIN = "grantflow-admin";
    public static final String NAMESPACE_WATCHER = "grantflow-namespace-watcher";
    public static final String GRANT_SERVICE = "grantflow-grant-service";
    /** The consumer groups of grant-service all start with this (application.properties, grants-in and tenants-in). */
    public static final String GRANT_SERVICE_GROUP_PREFIX = "grantflow-grant-service";

    /** One allowed operation of a principal on a topic or group (literal name or prefix). */
    public record Rule(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {

        public AclBinding binding() {
            return new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
        }

        @Override
        public String toString() {
            return principal + " " + operation + " " + type + " " + (pattern == PatternType.PREFIXED ? name + "*" : name);
        }
    }

    public static final List<Rule> RULES = rules();

    private static List<Rule> rules() {
        List<Rule> r = new ArrayList<>();
        topic(r, ADMIN, Topics.GRANTS, AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE);
        topic(r, ADMIN, Topics.GRANT_STATUS, AclOperation.READ, AclOperation.DESCRIBE);
        topic(r, ADMIN, Topics.AUDIT, AclOperation.READ, AclOperation.DESCRIBE);

        topic(r, NAMESPACE_WATCHER, Topics.TENANTS, AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE);

        topic(r, GRANT_SERVICE, Topics.GRANTS, AclOperation.READ, AclOperation.DESCRIBE);
        topic(r, GRANT_SERVICE, Topics.TENANTS, AclOperation.READ, AclOperation.DESCRIBE);
        topic(r, GRANT_SERVICE, Topics.GRANT_STATUS, AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE);
        topic(r, GRANT_SERVICE, Topics.GRANTS_DLQ, AclOperation.WRITE, AclOperation.DESCRIBE);
        topic(r, GRANT_SERVICE, Topics.AUDIT, AclOperation.WRITE, AclOperation.DESCRIBE);
        r.add(new Rule(GRANT_SERVICE, ResourceType.GROUP, GRANT_SERVICE_GROUP_PREFIX, PatternType.PREFIXED,
                AclOperation.READ));
        return List.copyOf(r);
    }

    private static void topic(List<Rule> rules, String principal, String topic, AclOperation... operations) {
        for (AclOperation operation : operations) {
            rules.add(new Rule(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, operation));
        }
    }

    /** Every principal with rules (the administrator is one of them, though the test broker's super user is not). */
    public static Set<String> principals() {
        Set<String> out = new TreeSet<>();
        RULES.forEach(rule -> out.add(rule.principal()));
        return out;
    }

    public static List<Rule> of(String principal) {
        return RULES.stream().filter(rule -> rule.principal().equals(principal)).toList();
    }

    public static List<AclBinding> bindings() {
        return RULES.stream().map(Rule::binding).toList();
    }

    private GrantflowAcls() {
    }
}
