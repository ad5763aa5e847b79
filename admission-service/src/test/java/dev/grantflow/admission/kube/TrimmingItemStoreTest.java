package dev.grantflow.admission.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrimmingItemStoreTest {

    @Test
    void storesWithoutManagedFieldsAndLastAppliedConfiguration() {
        Map<String, String> annotations = new HashMap<>(Map.of(TrimmingItemStore.LAST_APPLIED, "{\"huge\":true}", "keep", "me"));
        PodDefault pd = new PodDefault(new ObjectMetaBuilder().withNamespace("alice").withName("a").withResourceVersion("7")
                .withAnnotations(annotations)
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
                .build(), new PodDefaultSpec());
        TrimmingItemStore store = new TrimmingItemStore();
        store.put(store.getKey(pd), pd);
        PodDefault stored = store.get("alice/a");
        assertThat(stored.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(stored.getMetadata().getAnnotations()).containsOnlyKeys("keep");
        assertThat(stored.getMetadata().getResourceVersion()).isEqualTo("7");
    }
}
