package dev.grantflow.trust;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The trust jar is a library like the model: the JDK and jose4j only (no framework, client, Kafka or logger). */
class TrustPurityTest {

    @Test
    void dependsOnlyOnTheJdkAndJose4j() {
        JavaClasses trust = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.grantflow.trust");
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..", "org.jose4j..",
                "dev.grantflow.trust..").check(trust);
    }
}
