package dev.grantflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.k8s.Kustomize.KustomizeException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The renderer on small fixtures: what it builds, and what it refuses (fixtures/kustomize/<case>/). */
class KustomizeTest {

    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "kustomize").toAbsolutePath();

    @Test
    void nested() {
        List<ObjectNode> rendered = Kustomize.build(FIXTURES.resolve("nested"));
        List<ObjectNode> expected = Kustomize.readObjects(FIXTURES.resolve("nested").resolve("expected.yaml"));

        // Compared as JSON trees, in order: files in list order, a directory's objects where it is listed.
        assertThat(rendered).containsExactlyElementsOf(expected);
    }

    @Test
    void baseRendersEveryManifestOnce() {
        List<ObjectNode> rendered = Kustomize.build(Manifests.BASE);

        assertThat(rendered).extracting(Kustomize::id).doesNotHaveDuplicates()
                .contains("apiextensions.k8s.io/CustomResourceDefinition||poddefaults.kubeflow.org",
                        "/Namespace||grantflow",
                        "admissionregistration.k8s.io/MutatingWebhookConfiguration||grantflow-poddefaults");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            outside-file      | is not in or below
            unsupported-field | field 'namespace' is not supported
            duplicate         | may not add resource with an already registered id
            cycle/a           | cycle detected
            no-kustomization  | no kustomization file
            missing-resource  | resource 'nowhere.yaml' does not exist
            remote            | remote resource
            missing-name      | missing metadata.name
            list-kind         | List objects are not supported
            """)
    void refuses(String fixture, String message) {
        assertThatThrownBy(() -> Kustomize.build(FIXTURES.resolve(fixture)))
                .isInstanceOf(KustomizeException.class)
                .hasMessageContaining(message);
    }
}
