package dev.grantflow.model.poddefault;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.crdv2.generator.CustomResourceInfo;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerResizePolicy;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.ResourceClaim;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeDevice;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.model.Scope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Generates the PodDefault CRD from {@link PodDefault} with fabric8's crd-generator-api-v2 (test scope only: the
 * generator pulls in the fabric8 client API, which the model must not depend on).
 *
 * <p>{@link PodDefault} is a plain {@code HasMetadata}, so {@code CustomResourceInfo.fromClass} does not work (it
 * needs a default metadata object); the {@link CustomResourceInfo} is built from the class' constants instead. The
 * generator only marks properties annotated with fabric8's own {@code @Required}, so a post-processor adds
 * {@code required} lists: for our classes from Jackson's {@code @JsonProperty(required = true)}, for the nested
 * Kubernetes types from {@link #KUBERNETES_REQUIRED} (their required keys in the Kubernetes OpenAPI schema, for the
 * types a PodDefault commonly uses; the API server validates pods fully anyway). It also sets {@code listKind}.
 */
final class PodDefaultCrdGenerator {

    /** The checked-in CRD, relative to the model module (Maven runs tests there). */
    static final Path CHECKED_IN = Path.of("..", "k8s", "crd", PodDefault.CRD_NAME + ".yaml");

    static final String LIST_KIND = "PodDefaultList";

    /** Required keys of nested Kubernetes types, as in the Kubernetes OpenAPI schema. */
    static final Map<Class<?>, Set<String>> KUBERNETES_REQUIRED = Map.ofEntries(
            Map.entry(EnvVar.class, Set.of("name")),
            Map.entry(Volume.class, Set.of("name")),
            Map.entry(VolumeMount.class, Set.of("name", "mountPath")),
            Map.entry(Container.class, Set.of("name")),
            Map.entry(LabelSelectorRequirement.class, Set.of("key", "operator")),
            Map.entry(ContainerPort.class, Set.of("containerPort")),
            Map.entry(ContainerResizePolicy.class, Set.of("resourceName", "restartPolicy")),
            Map.entry(ResourceClaim.class, Set.of("name")),
            Map.entry(VolumeDevice.class, Set.of("name", "devicePath")),
            Map.entry(KeyToPath.class, Set.of("key", "path")),
            Map.entry(SecretKeySelector.class, Set.of("key")),
            Map.entry(ConfigMapKeySelector.class, Set.of("key")),
            Map.entry(ObjectFieldSelector.class, Set.of("fieldPath")),
            Map.entry(ResourceFieldSelector.class, Set.of("resource")),
            Map.entry(ServiceAccountTokenProjection.class, Set.of("path")),
            Map.entry(DownwardAPIVolumeFile.class, Set.of("path")),
            Map.entry(HostPathVolumeSource.class, Set.of("path")),
            Map.entry(PersistentVolumeClaimVolumeSource.class, Set.of("claimName")),
            Map.entry(HTTPGetAction.class, Set.of("port")),
            Map.entry(HTTPHeader.class, Set.of("name", "value")),
            Map.entry(TCPSocketAction.class, Set.of("port")),
            Map.entry(GRPCAction.class, Set.of("port")));

    private static final String HEADER = """
            # PodDefault (kubeflow.org/v1alpha1): Kubeflow's field list, for clusters without Kubeflow.
            # Generated from dev.grantflow.model.poddefault.PodDefault by PodDefaultCrdTest (model module); do not edit.
            # Refresh: mvn -B -q -pl model test -Dtest=PodDefaultCrdTest -Dgrantflow.crd.refresh=true
            """;

    private PodDefaultCrdGenerator() {
    }

    /** The CRD as YAML, with the refresh header. */
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
                .withPostProcessor(new RequiredAndListKind())
                .customResources(info)
                .detailedGenerate();
        return HEADER + output.yaml();
    }

    /** Adds required lists and {@code listKind}; see the class comment. */
    private static final class RequiredAndListKind implements CRDPostProcessor {

        private final ObjectMapper mapper = new ObjectMapper();

        @Override
        public HasMetadata process(HasMetadata resource, String crdSpecVersion) {
            CustomResourceDefinition crd = (CustomResourceDefinition) resource;
            crd.getSpec().getNames().setListKind(LIST_KIND);
            // Kubeflow's CRD (kubeflow/manifests 1.9 / 1.10, applications/admission-webhook) has no status
            // subresource, and nothing writes PodDefault status (grant-service never calls updateStatus): without the
            // subresource the CRD is identical to Kubeflow's, so installing ours over theirs (or back) changes nothing.
            crd.getSpec().getVersions().get(0).setSubresources(null);
            JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
            mark(root.getProperties().get("spec"), mapper.constructType(PodDefaultSpec.class), "spec");
            mark(root.getProperties().get("status"), mapper.constructType(PodDefaultStatus.class), "status");
            return crd;
        }

        private void mark(JSONSchemaProps schema, JavaType type, String path) {
            if (schema == null) {
                return;
            }
            if (type.isCollectionLikeType() || type.isArrayType()) {
                if (schema.getItems() != null) {
                    mark(schema.getItems().getSchema(), type.getContentType(), path + "[]");
                }
                return;
            }
            if (type.isMapLikeType()) {
                if (schema.getAdditionalProperties() != null) {
                    mark(schema.getAdditionalProperties().getSchema(), type.getContentType(), path + "{}");
                }
                return;
            }
            if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
                return;
            }
            BeanDescription bean = mapper.getSerializationConfig().introspect(type);
            Map<String, BeanPropertyDefinition> properties = new java.util.HashMap<>();
            for (BeanPropertyDefinition property : bean.findProperties()) {
                properties.put(property.getName(), property);
            }
            Set<String> required = new TreeSet<>(schema.getRequired() == null ? List.of() : schema.getRequired());
            properties.values().stream().filter(BeanPropertyDefinition::isRequired).map(BeanPropertyDefinition::getName)
                    .forEach(required::add);
            required.addAll(KUBERNETES_REQUIRED.getOrDefault(type.getRawClass(), Set.of()));
            for (String name : required) {
                if (!schema.getProperties().containsKey(name)) {
                    throw new IllegalStateException(path + ": required property " + name + " is not in the schema");
                }
            }
            schema.setRequired(new ArrayList<>(required));
            schema.getProperties().forEach((name, child) -> {
                BeanPropertyDefinition property = properties.get(name);
                if (property != null) {
                    mark(child, property.getPrimaryType(), path + "." + name);
                }
            });
        }
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
