package dev.grantflow.model.poddefault;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Objects;

/**
 * Kubeflow's {@code PodDefault} ({@code kubeflow.org/v1alpha1}, namespaced), field for field.
 *
 * <p>A plain {@link HasMetadata} rather than a fabric8 {@code CustomResource}: the latter lives in the client
 * module, which the model must not depend on. The fabric8 client handles both the same way.
 *
 * <p>{@code @JsonDeserialize(using = None.class)} is required, as on every fabric8 model class: {@link HasMetadata}
 * inherits fabric8's polymorphic {@code KubernetesDeserializer}, which would otherwise turn the JSON of an unregistered
 * kind into a {@code GenericKubernetesResource} (and fail with a ClassCastException).
 */
@Group(PodDefault.GROUP)
@Version(PodDefault.VERSION)
@Kind(PodDefault.KIND)
@Plural(PodDefault.PLURAL)
@Singular(PodDefault.SINGULAR)
@JsonDeserialize(using = JsonDeserializer.None.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public class PodDefault implements HasMetadata, Namespaced {

    public static final String GROUP = "kubeflow.org";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "PodDefault";
    public static final String PLURAL = "poddefaults";
    public static final String SINGULAR = "poddefault";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String CRD_NAME = PLURAL + "." + GROUP;

    private String apiVersion = API_VERSION;
    private String kind = KIND;
    private ObjectMeta metadata;
    private PodDefaultSpec spec;
    private PodDefaultStatus status;

    public PodDefault() {
    }

    public PodDefault(ObjectMeta metadata, PodDefaultSpec spec) {
        this.metadata = metadata;
        this.spec = spec;
    }

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    @Override
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    public PodDefaultSpec getSpec() {
        return spec;
    }

    public void setSpec(PodDefaultSpec spec) {
        this.spec = spec;
    }

    public PodDefaultStatus getStatus() {
        return status;
    }

    public void setStatus(PodDefaultStatus status) {
        this.status = status;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PodDefault other)) {
            return false;
        }
        return Objects.equals(apiVersion, other.apiVersion) && Objects.equals(kind, other.kind)
                && Objects.equals(metadata, other.metadata) && Objects.equals(spec, other.spec)
                && Objects.equals(status, other.status);
    }

    @Override
    public int hashCode() {
        return Objects.hash(apiVersion, kind, metadata, spec, status);
    }

    @Override
    public String toString() {
        return "PodDefault{" + (metadata == null ? "" : metadata.getNamespace() + "/" + metadata.getName()) + "}";
    }
}
