package dev.grantflow.watcher.architecture;

import static dev.grantflow.model.architecture.LayerRules.clientOnlyInKube;
import static dev.grantflow.model.architecture.LayerRules.domainPure;
import static dev.grantflow.model.architecture.LayerRules.messagingOnlyInKafka;
import static dev.grantflow.model.architecture.LayerRules.noCycles;
import static dev.grantflow.model.architecture.LayerRules.productionClasses;
import static dev.grantflow.model.architecture.LayerRules.violations;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * namespace-watcher's packages (STYLE.md rules 2 and 9): {@code domain} is pure, the fabric8 client is used in
 * {@code kube} only, Kafka and SmallRye Reactive Messaging in {@code kafka} only, and the packages have no cycle.
 * {@code kube} does call {@code kafka}: the informer and the leader election wake {@code TenantEventPublisher}
 * directly (there is no domain port in between, unlike grant-service), so "Kafka and Kubernetes apart" is not a rule
 * here; the cycle rule keeps that dependency one-way. Each rule is also run against classes that break it
 * ({@code architecture.planted}), so that it is known to be able to fail.
 */
class NamespaceWatcherLayersTest {

    static final String ROOT = "dev.grantflow.watcher";
    static final String PLANTED = "dev.grantflow.watcher.architecture.planted";

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = productionClasses(ROOT);
    }

    @Test
    void importsEveryServicePackageAndNoTestClass() {
        assertThat(production).extracting(JavaClass::getPackageName).contains(ROOT + ".domain", ROOT + ".kafka",
                ROOT + ".kube", ROOT + ".web", ROOT + ".config");
        assertThat(production).extracting(JavaClass::getPackageName).noneMatch(p -> p.startsWith(PLANTED));
    }

    @Test
    void thePackagesAreFreeOfCycles() {
        noCycles(ROOT).check(production);
    }

    @Test
    void theDomainIsPure() {
        domainPure(ROOT).check(production);
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
    void eachRuleFailsOnAPlantedViolation() {
        JavaClasses planted = new ClassFileImporter().importPackages(PLANTED);

        assertThat(violations(noCycles(PLANTED), planted))
                .anyMatch(line -> line.contains("PublisherCallingKube") && line.contains("KubeSendingRecords"));
        assertThat(violations(domainPure(PLANTED), planted)).anyMatch(line -> line.contains("ImpureDecision"));
        assertThat(violations(clientOnlyInKube(PLANTED), planted))
                .anyMatch(line -> line.contains("ReadinessCallingTheClient"))
                .noneMatch(line -> line.contains("KubeSendingRecords"));
        assertThat(violations(messagingOnlyInKafka(PLANTED), planted))
                .anyMatch(line -> line.contains("KubeSendingRecords"))
                .noneMatch(line -> line.contains("PublisherCallingKube"));
    }
}
