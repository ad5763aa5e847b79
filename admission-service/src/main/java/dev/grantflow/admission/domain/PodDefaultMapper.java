package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.model.kubernetes.InvalidLabelSelectorException;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts a typed {@link PodDefault} into a {@link PreparedPodDefault}. Pure. */
public final class PodDefaultMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PodDefaultMapper() {
    }

    public static PreparedPodDefault prepare(PodDefault podDefault) {
        ObjectMeta meta = podDefault.getMetadata() == null ? new ObjectMeta() : podDefault.getMetadata();
        PodDefaultSpec spec = podDefault.getSpec() == null ? new PodDefaultSpec() : podDefault.getSpec();
        CompiledLabelSelector selector = null;
        String selectorError = null;
        try {
            selector = CompiledLabelSelector.compile(spec.getSelector());
        } catch (InvalidLabelSelectorException e) {
            selectorError = e.getMessage();
        }
        String selectorText = spec.getSelector() == null ? "{}" : JSON.valueToTree(spec.getSelector()).toString();
        return new PreparedPodDefault(
                meta.getNamespace(),
                meta.getName(),
                meta.getResourceVersion(),
                selector,
                selectorError,
                selectorText,
                spec.getServiceAccountName(),
                spec.getAutomountServiceAccountToken(),
                array(spec.getEnv()),
                array(spec.getEnvFrom()),
                array(spec.getVolumes()),
                array(spec.getVolumeMounts()),
                map(spec.getAnnotations()),
                map(spec.getLabels()),
                array(spec.getTolerations()),
                array(spec.getImagePullSecrets()),
                array(spec.getInitContainers()),
                array(spec.getSidecars()),
                array(spec.getCommand()),
                array(spec.getArgs()));
    }

    private static ArrayNode array(List<?> items) {
        if (items == null) {
            return null;
        }
        ArrayNode out = JSON.createArrayNode();
        for (Object item : items) {
            JsonNode node = JSON.valueToTree(item);
            out.add(node);
        }
        return out;
    }

    private static Map<String, String> map(Map<String, String> m) {
        return m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
