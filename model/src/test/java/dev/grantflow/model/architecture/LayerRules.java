package dev.grantflow.model.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The package rules every service keeps (STYLE.md rules 2 and 9), for a service's root package ({@code
 * dev.grantflow.<service>}) or for planted classes that break them. Shared through the model's test-jar: each
 * service's {@code *LayersTest} checks its production classes and shows each rule failing on planted ones.
 */
public final class LayerRules {

    /** The Kafka client and the Reactive Messaging API (SmallRye's and MicroProfile's). */
    public static final String[] MESSAGING = {"org.apache.kafka..", "io.smallrye.reactive.messaging..",
            "org.eclipse.microprofile.reactive.messaging.."};

    private LayerRules() {
    }

    /** The service's production classes (no test class, so no planted one). */
    public static JavaClasses productionClasses(String root) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root);
    }

    /** What {@code rule} reports on {@code classes}, one line per violation (empty when none). */
    public static List<String> violations(ArchRule rule, JavaClasses classes) {
        return rule.evaluate(classes).getFailureReport().getDetails();
    }

    /** No cycle between the service's packages. */
    public static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    /** {@code domain} depends on no other package of the service, no framework, client, logger or metrics. */
    public static ArchRule domainPure(String root) {
        return noClasses().that().resideInAPackage(root + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".kafka..", root + ".kube..",
                        root + ".web..", root + ".config..", "io.quarkus..", "jakarta..", "io.smallrye..",
                        "io.fabric8.kubernetes.client..", "org.apache.kafka..", "org.jboss.logging..",
                        "io.micrometer..");
    }

    /** The fabric8 client is used in {@code kube} only. */
    public static ArchRule clientOnlyInKube(String root) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(root + ".kube..")
                .should().dependOnClassesThat().resideInAPackage("io.fabric8.kubernetes.client..");
    }

    /** Kafka and Reactive Messaging are used in {@code kafka} only. */
    public static ArchRule messagingOnlyInKafka(String root) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(root + ".kafka..")
                .should().dependOnClassesThat().resideInAnyPackage(MESSAGING);
    }

    /** {@code kafka} does not reach into {@code kube} (they meet in domain ports). */
    public static ArchRule kafkaWithoutKube(String root) {
        return noClasses().that().resideInAPackage(root + ".kafka..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".kube..", "io.fabric8.kubernetes.client..");
    }

    /** {@code kube} does not reach into {@code kafka}. */
    public static ArchRule kubeWithoutKafka(String root) {
        return noClasses().that().resideInAPackage(root + ".kube..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".kafka..", "org.apache.kafka..",
                        "io.smallrye.reactive.messaging..");
    }
}
