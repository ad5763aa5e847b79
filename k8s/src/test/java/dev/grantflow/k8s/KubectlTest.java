package dev.grantflow.k8s;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The renderer's failures are failures: a kustomization that {@code kubectl kustomize} refuses (fixtures/kustomize/
 * <case>/) fails with kubectl's own message, and a missing kubectl fails with the advice to install it, never with an
 * empty rendering that the checks would then report object by object.
 */
class KubectlTest {

    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "kustomize").toAbsolutePath();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            outside-file     | is not in or below
            duplicate        | may not add resource with an already registered id
            cycle/a          | cycle detected
            no-kustomization | unable to find one of 'kustomization.yaml'
            missing-resource | no such file or directory
            missing-name     | missing metadata.name
            """)
    void refusesWithKubectlsMessage(String fixture, String message) {
        assertThatThrownBy(() -> Kubectl.kustomize(FIXTURES.resolve(fixture)))
                .isInstanceOf(Kubectl.KustomizeFailed.class)
                .hasMessageContaining(message);
    }

    @Test
    void aMissingKubectlIsAFailureWithAdvice() {
        assertThatThrownBy(() -> Kubectl.kustomize("kubectl-not-installed", Manifests.BASE))
                .isInstanceOf(Kubectl.KubectlMissing.class)
                .hasMessageContaining("Install kubectl 1.21 or later");
    }
}
