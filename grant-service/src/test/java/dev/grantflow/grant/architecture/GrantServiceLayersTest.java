package dev.grantflow.grant.architecture;

import static dev.grantflow.model.architecture.LayerRules.clientOnlyInKube;
import static dev.grantflow.model.architecture.LayerRules.domainPure;
import static dev.grantflow.model.architecture.LayerRules.kafkaWithoutKube;
import static dev.grantflow.model.architecture.LayerRules.kubeWithoutKafka;
import static dev.grantflow.model.architecture.LayerRules.messagingOnlyInKafka;
import static dev.grantflow.model.architecture.LayerRules.noCycles;
import static dev.grantflow.model.architecture.LayerRules.productionClasses;
import static dev.grantflow.model.architecture.LayerRules.violations;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * grant-service's packages: {@code domain} is pure, and the Kafka and Kubernetes sides never depend on each other
 * (they meet in the domain's ports: {@code ReconcileTrigger}, {@code StatusSink}, {@code GrantFeed}); the fabric8
 * client is used in {@code kube} only, Kafka and SmallRye Reactive Messaging in {@code kafka} only (STYLE.md rules 2
 * and 9). Each rule is also run against classes that break it, so that it is known to be able to fail.
 */
class GrantServiceLayersTest {

    static final String ROOT = "dev.grantflow.grant";
    static final String PLANTED = "dev.grantflow.grant.architecture.planted";

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = productionClasses(ROOT);
    }

    @Test
    void thePackagesAreFreeOfCycles() {
        assertThat(production).extracting(c -> c.getPackageName()).contains("dev.grantflow.grant.kafka",
                "dev.grantflow.grant.kube", "dev.grantflow.grant.domain");
        noCycles(ROOT).check(production);
    }

    @Test
    void kafkaAndKubernetesMeetOnlyInTheDomain() {
        kafkaWithoutKube(ROOT).check(production);
        kubeWithoutKafka(ROOT).check(production);
    }

    @Test
    void onlyKubeUsesTheKubernetesClient() {
        clientOnlyInKube(ROOT).check(production);
    }

    @Test
    void onlyKafkaUsesKafkaAndReactiveMessaging() {
        messagingOnlyInKafka(ROOT).check(production);
    }

    @Test
    void theDomainIsPure() {
        domainPure(ROOT).check(production);
    }

    @Test
    void eachRuleFailsOnAPlantedViolation() {
        JavaClasses planted = new ClassFileImporter().importClasses(
                dev.grantflow.grant.architecture.planted.kafka.ConsumerCallingKube.class,
                dev.grantflow.grant.architecture.planted.kube.KubeCallingKafka.class,
                dev.grantflow.grant.architecture.planted.domain.ImpureDecision.class,
                dev.grantflow.grant.architecture.planted.web.ReadinessCallingTheClient.class,
                dev.grantflow.grant.architecture.planted.config.ConfigSendingRecords.class);
        assertThat(noCycles(PLANTED).evaluate(planted).hasViolation()).isTrue();
        assertThat(kafkaWithoutKube(PLANTED).evaluate(planted).hasViolation()).isTrue();
        assertThat(kubeWithoutKafka(PLANTED).evaluate(planted).hasViolation()).isTrue();
        assertThat(domainPure(PLANTED).evaluate(planted).hasViolation()).isTrue();
        assertThat(violations(clientOnlyInKube(PLANTED), planted))
                .anyMatch(line -> line.contains("ReadinessCallingTheClient"));
        assertThat(violations(messagingOnlyInKafka(PLANTED), planted))
                .anyMatch(line -> line.contains("ConfigSendingRecords"));
    }
}
