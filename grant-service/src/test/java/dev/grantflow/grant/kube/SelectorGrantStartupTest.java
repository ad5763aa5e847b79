package dev.grantflow.grant.kube;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.grant.config.GrantServiceConfig;
import dev.grantflow.grant.domain.GrantEntry;
import dev.grantflow.grant.domain.GrantLedger;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.json.Json;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A restart over existing tenants and selector grants: the tenants and grants topics are read from their start while
 * the informers are still being started (the consumers run on their own threads). A tenant or grant record read then
 * must not fail the consumer (the tenants channel fails loudly, and the instance never gets ready): there are no
 * copies to look up yet, and the first resync, which waits for the informers, reconciles every copy.
 */
class SelectorGrantStartupTest {

    @Test
    void recordsReadBeforeTheInformersStartEnqueueNoCopyAndDoNotFail() {
        GrantReconciler reconciler = new GrantReconciler();
        reconciler.config = config();
        reconciler.createQueue(); // as CDI does on the bean's first use
        reconciler.ledger = new GrantLedger();
        reconciler.ledger.put(new GrantEntry.Accepted(GrantKey.selector("fleet"), selectorGrant("fleet")),
                new GrantLedger.Position(0, 0, 100));
        // Not started: their informers do not exist yet.
        reconciler.watch = new ManagedObjectsWatch();
        reconciler.namespaces = new TenantNamespacesWatch();

        assertThatCode(() -> reconciler.tenantChanged("team-a")).doesNotThrowAnyException();
    }

    /** The configuration the queue is made from; nothing else is read before the start. */
    static GrantServiceConfig config() {
        GrantServiceConfig.Reconcile reconcile = new GrantServiceConfig.Reconcile() {
            @Override
            public int workers() {
                return 1;
            }

            @Override
            public Duration initialBackoff() {
                return Duration.ofMillis(100);
            }

            @Override
            public Duration maxBackoff() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration resyncPeriod() {
                return Duration.ofMinutes(10);
            }
        };
        return (GrantServiceConfig) Proxy.newProxyInstance(GrantServiceConfig.class.getClassLoader(),
                new Class<?>[] {GrantServiceConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("reconcile")) {
                        return reconcile;
                    }
                    throw new UnsupportedOperationException(method.getName() + " is not read before the start");
                });
    }

    static Grant selectorGrant(String name) {
        ObjectNode grant = Fixtures.tree("grant/v1-secret-ref.json").deepCopy();
        ObjectNode metadata = (ObjectNode) grant.get("metadata");
        metadata.remove("tenant");
        metadata.put("name", name);
        metadata.set("tenantSelector", Json.readTree("{\"matchLabels\":{\"team\":\"ml\"}}"));
        return Json.read(grant.toString(), Grant.class);
    }
}
