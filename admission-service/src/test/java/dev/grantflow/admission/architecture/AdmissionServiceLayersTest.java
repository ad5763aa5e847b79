package dev.grantflow.admission.architecture;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * admission-service's packages (STYLE.md rules 2 and 9): {@code domain} is pure, the fabric8 client is used in
 * {@code kube} only, the packages have no cycle, and Kafka and SmallRye Reactive Messaging are used in {@code kafka}
 * only, which, as the service has no {@code kafka} package, means nowhere. Each rule is also run against classes that
 * break it ({@code architecture.planted}), so that it is known to be able to fail.
 */
class AdmissionServiceLayersTest {

    static final String ROOT = "dev.grantflow.admission";
    static final String PLANTED = "dev.grantflow.admission.architecture.planted";

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = productionClasses(ROOT);
    }

    @Test
    void importsEveryServicePackageAndNoTestClass() {
        assertThat(production).extracting(JavaClass::getPackageName).contains(ROOT + ".domain", ROOT + ".kube",
                ROOT + ".web", ROOT + ".config");
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
    void noClassUsesKafkaOrReactiveMessaging() {
        messagingOnlyInKafka(ROOT).check(production);
    }

    @Test
    void eachRuleFailsOnAPlantedViolation(@TempDir Path tmp) throws IOException {
        JavaClasses planted = new ClassFileImporter().importPackages(PLANTED);

        assertThat(violations(noCycles(PLANTED), planted))
                .anyMatch(line -> line.contains("WatchCallingWeb") && line.contains("ResourceCallingTheClient"));
        assertThat(violations(domainPure(PLANTED), planted)).anyMatch(line -> line.contains("ImpureDecision"));
        assertThat(violations(clientOnlyInKube(PLANTED), planted))
                .anyMatch(line -> line.contains("ResourceCallingTheClient"))
                .noneMatch(line -> line.contains("WatchCallingWeb"));
        assertThat(violations(messagingOnlyInKafka(PLANTED), compiledKafkaUser(tmp)))
                .anyMatch(line -> line.contains("ResourceSendingRecords") && line.contains("org.apache.kafka"));
    }

    /**
     * A planted class in {@code web} that uses a Kafka producer. admission-service has no Kafka on its classpath, so
     * the class is compiled here, against a stand-in interface of the same name, and only the planted class is
     * imported: the rule sees a dependency on {@code org.apache.kafka.clients.producer.Producer}, as it would on the
     * real one.
     */
    private static JavaClasses compiledKafkaUser(Path tmp) throws IOException {
        Path sources = tmp.resolve("src");
        Path classes = tmp.resolve("classes");
        Path standIn = write(sources, "org/apache/kafka/clients/producer/Producer.java", """
                package org.apache.kafka.clients.producer;

                public interface Producer<K, V> {
                    void close();
                }
                """);
        Path user = write(sources, PLANTED.replace('.', '/') + "/web/ResourceSendingRecords.java", """
                package %s.web;

                public class ResourceSendingRecords {
                    org.apache.kafka.clients.producer.Producer<String, String> producer;

                    public void answered() {
                        producer.close();
                    }
                }
                """.formatted(PLANTED));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK (javax.tools) to compile the planted class").isNotNull();
        int exit = javac.run(null, null, null, "-d", classes.toString(), standIn.toString(), user.toString());
        assertThat(exit).as("javac exit code").isZero();
        return new ClassFileImporter().importPath(classes.resolve(PLANTED.replace('.', '/')));
    }

    private static Path write(Path root, String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
