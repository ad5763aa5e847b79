package dev.grantflow.admission.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreparedItemStoreTest {

    private final PodDefaultCache cache = new PodDefaultCache();
    private final PreparedItemStore store = new PreparedItemStore(cache);

    @Test
    void writesThroughToTheCacheAndHandsBackStubsWithTheResourceVersion() {
        PodDefault pd = pd("alice", "a", "7");
        assertThat(store.getKey(pd)).isEqualTo("alice/a");
        assertThat(store.put("alice/a", pd)).isNull();
        assertThat(cache.inNamespace("alice").items()).singleElement()
                .satisfies(p -> assertThat(p.resourceVersion()).isEqualTo("7"));

        PodDefault stored = store.get("alice/a");
        assertThat(stored.getMetadata().getNamespace()).isEqualTo("alice");
        assertThat(stored.getMetadata().getName()).isEqualTo("a");
        assertThat(stored.getMetadata().getResourceVersion()).isEqualTo("7");
        // nothing else of the object is kept: no managedFields, no last-applied copy, no spec
        assertThat(stored.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(stored.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(stored.getSpec()).isNull();

        PodDefault replaced = store.put("alice/a", pd("alice", "a", "8"));
        assertThat(replaced.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(store.get("alice/a").getMetadata().getResourceVersion()).isEqualTo("8");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void listsKeysAndValuesAndRemoves() {
        store.put("alice/a", pd("alice", "a", "1"));
        store.put("alice/b", pd("alice", "b", "2"));
        store.put("bob/a", pd("bob", "a", "3"));
        assertThat(store.keySet()).containsExactlyInAnyOrder("alice/a", "alice/b", "bob/a");
        assertThat(store.values()).extracting(p -> p.getMetadata().getResourceVersion()).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(store.size()).isEqualTo(3);

        assertThat(store.remove("alice/b").getMetadata().getResourceVersion()).isEqualTo("2");
        assertThat(store.remove("alice/b")).isNull();
        assertThat(store.remove("nobody/x")).isNull();
        assertThat(store.get("alice/b")).isNull();
        assertThat(store.get("not-a-key")).isNull();
        assertThat(cache.inNamespace("alice").items()).extracting(p -> p.name()).containsExactly("a");
        assertThat(store.keySet()).containsExactlyInAnyOrder("alice/a", "bob/a");
    }

    @Test
    void tellsTheInformerItDoesNotHoldWholeObjects() {
        assertThat(store.isFullState()).isFalse();
    }

    private static PodDefault pd(String ns, String name, String rv) {
        PodDefaultSpec spec = new PodDefaultSpec();
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "x")).build());
        spec.setEnv(List.of(new EnvVarBuilder().withName("A").withValue("1").build()));
        return new PodDefault(new ObjectMetaBuilder().withNamespace(ns).withName(name).withResourceVersion(rv)
                .withAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{\"huge\":true}"))
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
                .build(), spec);
    }
}
