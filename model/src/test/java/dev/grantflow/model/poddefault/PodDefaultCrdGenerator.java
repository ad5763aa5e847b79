package dev.grantflow.model.poddefault;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CustomResourceInfo;
import io.fabric8.kubernetes.model.Scope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Generates a CRD from {@link PodDefault} with fabric8's crd-generator-api-v2 (test scope only: the generator pulls in
 * the fabric8 client API, which the model must not depend on). The shipped CRD is not this output but Kubeflow's own
 * ({@link #CHECKED_IN}, checked against the vendored Kubeflow copy in the k8s module): the generated schema only
 * serves {@code PodDefaultCrdTest} to show that the model's Java types can carry every field that CRD keeps.
 *
 * <p>{@link PodDefault} is a plain {@code HasMetadata}, so {@code CustomResourceInfo.fromClass} does not work (it
 * needs a default metadata object); the {@link CustomResourceInfo} is built from the class' constants instead.
 */
final class PodDefaultCrdGenerator {

    /** The shipped CRD (Kubeflow's), relative to the model module (Maven runs tests there). */
    static final Path CHECKED_IN = Path.of("..", "k8s", "crd", PodDefault.CRD_NAME + ".yaml");

    private PodDefaultCrdGenerator() {
    }

    /** The CRD fabric8 generates from the model's classes, as YAML. */
    static String generate() {
        CustomResourceInfo info = new CustomResourceInfo(PodDefault.GROUP, PodDefault.VERSION, PodDefault.KIND,
                PodDefault.SINGULAR, PodDefault.PLURAL, new String[0], new String[0], true, true, false, null,
                Scope.NAMESPACED, PodDefault.class, PodDefault.class.getName(), PodDefaultSpec.class.getName(),
                PodDefaultStatus.class.getName(), new String[0], new String[0]);
        InMemoryOutput output = new InMemoryOutput();
        new CRDGenerator()
                .forCRDVersions("v1")
                .withMinQuotes(true)
                .withOutput(output)
                .customResources(info)
                .detailedGenerate();
        return output.yaml();
    }

    private static final class InMemoryOutput extends CRDGenerator.AbstractCRDOutput<ByteArrayOutputStream> {
        private ByteArrayOutputStream stream;

        @Override
        protected ByteArrayOutputStream createStreamFor(String crdName) {
            if (stream != null) {
                throw new IllegalStateException("one CRD expected, got a second: " + crdName);
            }
            stream = new ByteArrayOutputStream();
            return stream;
        }

        String yaml() {
            if (stream == null) {
                throw new IllegalStateException("the generator produced no CRD");
            }
            return stream.toString(StandardCharsets.UTF_8);
        }
    }
}
