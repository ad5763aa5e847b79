package dev.grantflow.grantctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.grantflow.model.architecture.LayerRules;
import org.junit.jupiter.api.Test;

/** STYLE.md rules 2 and 4 for grantctl: a pure domain, Kafka in {@code kafka} only, no package cycles. */
class GrantctlLayersTest {

    private static final String ROOT = "dev.grantflow.grantctl";
    private static final JavaClasses CLASSES = LayerRules.productionClasses(ROOT);

    @Test
    void domainIsPure() {
        assertThat(LayerRules.violations(LayerRules.domainPure(ROOT), CLASSES)).isEmpty();
    }

    @Test
    void kafkaOnlyInKafka() {
        assertThat(LayerRules.violations(LayerRules.messagingOnlyInKafka(ROOT), CLASSES)).isEmpty();
    }

    @Test
    void noCycles() {
        assertThat(LayerRules.violations(LayerRules.noCycles(ROOT), CLASSES)).isEmpty();
    }
}
