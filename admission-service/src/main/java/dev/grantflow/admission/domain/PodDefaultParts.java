package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Map;

/**
 * What one matching PodDefault injects, as JSON trees decoded from the cache's compact form
 * ({@link PreparedPodDefault#parts()}). Lists are {@code null} when the PodDefault does not set them. The trees are
 * shared by the admissions of pods matching PodDefaults that inject the same (and across threads): never modify them;
 * the merge copies what it inserts.
 *
 * @param items the lists' items with their keys and JSON text (ASCII, non-ASCII characters escaped), taken out once
 *              per decode: what the merge reads of them and what the patch writes for them
 */
record PodDefaultParts(
        String name,
        String resourceVersion,
        InjectedItems items,
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
}
