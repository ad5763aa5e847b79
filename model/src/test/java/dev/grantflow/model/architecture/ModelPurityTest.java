package dev.grantflow.model.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model stays a plain jar (STYLE.md rule 1): JDK, Jackson and fabric8 <em>model</em> types only. Checked on the
 * production classes; tests may use more (the CRD generator uses the fabric8 client API).
 */
class ModelPurityTest {

    /** Frameworks, the fabric8 client, loggers and Kafka: none belongs in the model. */
    static final String[] FORBIDDEN = {
            "io.quarkus..", "jakarta.enterprise..", "jakarta.inject..", "javax.inject..", "io.smallrye..",
            "io.fabric8.kubernetes.client..", "org.jboss.logging..", "org.slf4j..", "java.util.logging..",
            "org.apache.logging..", "org.apache.kafka..", "io.vertx..", "io.cloudevents.."};

    /** What model classes may use. */
    static final String[] ALLOWED = {
            "java..", "com.fasterxml.jackson..", "io.fabric8.kubernetes.api.model..", "io.fabric8.kubernetes.model..",
            "dev.grantflow.model.."};

    private static JavaClasses modelClasses;

    @BeforeAll
    static void importProductionClasses() {
        modelClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.grantflow.model");
    }

    @Test
    void importsTheProductionClassesOnly() {
        assertThat(modelClasses).extracting(c -> c.getName())
                .contains("dev.grantflow.model.json.Json", "dev.grantflow.model.grant.Grant",
                        "dev.grantflow.model.poddefault.PodDefault", "dev.grantflow.model.tenant.TenantEvent")
                .doesNotContain(ModelPurityTest.class.getName(), "dev.grantflow.model.fixtures.Fixtures");
    }

    @Test
    void modelDependsOnNoFrameworkClientLoggerOrKafka() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN).check(modelClasses);
    }

    @Test
    void modelDependsOnlyOnJdkJacksonAndFabric8Model() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage(ALLOWED).check(modelClasses);
    }

    @Test
    void noGrabBagClasses() {
        noClasses().should().haveSimpleNameEndingWith("Util").orShould().haveSimpleNameEndingWith("Utils")
                .orShould().haveSimpleNameEndingWith("Helper").orShould().haveSimpleNameEndingWith("Helpers")
                .check(modelClasses);
    }

    @Test
    void theRuleCatchesAForbiddenDependency() {
        // Proves the rule is not vacuous: a class that uses a forbidden package is reported.
        JavaClasses offender = new ClassFileImporter().importClasses(UsesTheClient.class);
        ArchRule rule = noClasses().should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN);

        EvaluationResult result = rule.evaluate(offender);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("io.fabric8.kubernetes.client");
    }

    /** A deliberate offender for {@link #theRuleCatchesAForbiddenDependency()}. */
    static final class UsesTheClient {
        Object client() {
            return io.fabric8.kubernetes.client.KubernetesClient.class;
        }
    }
}
