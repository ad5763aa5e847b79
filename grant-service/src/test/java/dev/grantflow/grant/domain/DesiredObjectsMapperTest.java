package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.json.Json;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An update keeps what other controllers put on the object; values for redaction. */
class DesiredObjectsMapperTest {

    static final String VALUE = "v2-s3cr3t";

    @Test
    void anUpdateKeepsForeignMetadataAndSetsGrantflowsOverIt() {
        Secret current = new SecretBuilder().withNewMetadata().withName("db").withNamespace("alice").withUid("uid-1")
                .withResourceVersion("41")
                .addToLabels(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                .addToLabels(ManagedLabels.GRANT, "db")
                .addToLabels("backup.example.com/include", "true")
                .addToAnnotations(ManagedLabels.GENERATION, "1")
                .addToAnnotations(ManagedLabels.CONTENT_HASH, "sha256:old")
                .addToAnnotations("reflector.example.com/seen", "yes")
                .withFinalizers("example.com/keep")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                        .withName("owner").withUid("uid-owner").build())
                .endMetadata().withType("Opaque").withImmutable(false)
                .withData(Map.of("token", b64("v1"))).build();
        Secret desired = new SecretBuilder().withNewMetadata().withName("db").withNamespace("alice")
                .addToLabels(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                .addToLabels(ManagedLabels.GRANT, "db")
                .addToAnnotations(ManagedLabels.GENERATION, "2")
                .addToAnnotations(ManagedLabels.CONTENT_HASH, "sha256:new")
                .endMetadata().withType("Opaque").withData(Map.of("token", b64(VALUE))).build();
        String currentBefore = Json.write(current);
        String desiredBefore = Json.write(desired);

        Secret update = DesiredObjectsMapper.asUpdateOf(desired, current);

        assertThat(update.getMetadata().getLabels()).containsEntry("backup.example.com/include", "true")
                .containsEntry(ManagedLabels.GRANT, "db");
        assertThat(update.getMetadata().getAnnotations()).containsEntry("reflector.example.com/seen", "yes")
                .containsEntry(ManagedLabels.GENERATION, "2").containsEntry(ManagedLabels.CONTENT_HASH, "sha256:new");
        assertThat(update.getMetadata().getFinalizers()).containsExactly("example.com/keep");
        assertThat(update.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-owner"));
        assertThat(update.getMetadata().getUid()).isEqualTo("uid-1");
        assertThat(update.getMetadata().getResourceVersion()).isEqualTo("41");
        assertThat(update.getData()).isEqualTo(Map.of("token", b64(VALUE)));
        assertThat(update.getImmutable()).isFalse();
        assertThat(Json.write(current)).isEqualTo(currentBefore);
        assertThat(Json.write(desired)).isEqualTo(desiredBefore);
    }

    @Test
    void secretValuesAreTheDataAsBase64AndDecodedAndTheStringData() {
        Secret secret = new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .withData(Map.of("token", b64(VALUE))).withStringData(Map.of("plain", "string-value")).build();
        assertThat(DesiredObjectsMapper.secretValues(secret))
                .containsExactlyInAnyOrder(b64(VALUE), VALUE, "string-value");
        assertThat(DesiredObjectsMapper.secretValues(new dev.grantflow.model.poddefault.PodDefault())).isEmpty();
    }

    static String b64(String plain) {
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
