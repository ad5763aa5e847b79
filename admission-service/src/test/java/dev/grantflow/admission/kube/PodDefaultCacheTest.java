package dev.grantflow.admission.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.admission.domain.PreparedPodDefault;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class PodDefaultCacheTest {

    private final PodDefaultCache cache = new PodDefaultCache();

    @Test
    void keepsEachNamespaceSortedByNameAndCounts() {
        cache.put(pd("alice", "c", "1", "In"));
        cache.put(pd("alice", "a", "2", "In"));
        cache.put(pd("bob", "b", "3", "In"));
        cache.put(pd("alice", "b", "4", "Bad"));
        assertThat(cache.inNamespace("alice").items()).extracting(PreparedPodDefault::name).containsExactly("a", "b", "c");
        assertThat(cache.size()).isEqualTo(4);
        assertThat(cache.namespaceCount()).isEqualTo(2);
        assertThat(cache.invalidSelectorCount()).isEqualTo(1);

        cache.put(pd("alice", "b", "5", "In"));
        assertThat(cache.inNamespace("alice").items()).extracting(PreparedPodDefault::resourceVersion).containsExactly("2", "5", "1");
        assertThat(cache.size()).isEqualTo(4);
        assertThat(cache.invalidSelectorCount()).isZero();

        cache.remove("bob", "b");
        cache.remove("bob", "b");
        cache.remove("nobody", "x");
        assertThat(cache.inNamespace("bob").isEmpty()).isTrue();
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.namespaceCount()).isEqualTo(1);
    }

    @Test
    void snapshotsHandedOutDoNotChange() {
        cache.put(pd("alice", "a", "1", "In"));
        var before = cache.inNamespace("alice");
        cache.put(pd("alice", "b", "2", "In"));
        cache.remove("alice", "a");
        assertThat(before.items()).extracting(PreparedPodDefault::name).containsExactly("a");
        assertThat(cache.inNamespace("alice").items()).extracting(PreparedPodDefault::name).containsExactly("b");
    }

    private static PodDefault pd(String ns, String name, String rv, String operator) {
        PodDefaultSpec spec = new PodDefaultSpec();
        spec.setSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("k").withOperator(operator).withValues("v")
                .endMatchExpression().build());
        return new PodDefault(new ObjectMetaBuilder().withNamespace(ns).withName(name).withResourceVersion(rv).build(), spec);
    }
}
