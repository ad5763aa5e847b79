package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import java.util.Map;

/**
 * A PodDefault converted once (per informer event) into what the merge needs: its selector compiled (or the
 * reason it cannot be) and every injected list as JSON, ready to be copied into a pod.
 *
 * <p>Lists are {@code null} when the PodDefault does not set them. The JSON nodes are shared between requests and
 * must never be mutated: the merge copies them before inserting.
 *
 * @param selector      the compiled selector; {@code null} exactly when {@code selectorError} is set
 * @param selectorError why the selector cannot be converted, or {@code null}
 * @param selectorText  the selector as JSON text, for messages
 */
public record PreparedPodDefault(
        String namespace,
        String name,
        String resourceVersion,
        CompiledLabelSelector selector,
        String selectorError,
        String selectorText,
        String serviceAccountName,
        Boolean automountServiceAccountToken,
        ArrayNode env,
        ArrayNode envFrom,
        ArrayNode volumes,
        ArrayNode volumeMounts,
        Map<String, String> annotations,
        Map<String, String> labels,
        ArrayNode tolerations,
        ArrayNode imagePullSecrets,
        ArrayNode initContainers,
        ArrayNode sidecars,
        ArrayNode command,
        ArrayNode args) {

    public boolean hasValidSelector() {
        return selector != null;
    }

    public boolean matches(Map<String, String> podLabels) {
        return selector != null && selector.matches(podLabels);
    }

    /** {@code namespace/name}, for logs. */
    public String key() {
        return namespace + "/" + name;
    }
}
