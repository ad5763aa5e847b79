package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.model.kubernetes.InvalidLabelSelectorException;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * Converts a typed {@link PodDefault} into the compact {@link PreparedPodDefault}. Pure, apart from the optional
 * {@link Sharing} that the cache passes to hold identical parts once.
 */
public final class PodDefaultMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PodDefaultMapper() {
    }

    /** Prepares a PodDefault on its own (tests, fixtures): nothing is shared with other PodDefaults. */
    public static PreparedPodDefault prepare(PodDefault podDefault) {
        return prepare(podDefault, null);
    }

    /**
     * Prepares a PodDefault; with {@code sharing}, its namespace and name strings, its selector and its injected
     * JSON are the same instances as those of every other PodDefault prepared with it that has equal ones.
     */
    public static PreparedPodDefault prepare(PodDefault podDefault, Sharing sharing) {
        ObjectMeta meta = podDefault.getMetadata() == null ? new ObjectMeta() : podDefault.getMetadata();
        PodDefaultSpec spec = podDefault.getSpec() == null ? new PodDefaultSpec() : podDefault.getSpec();
        CompiledLabelSelector compiled = null;
        String selectorError = null;
        try {
            compiled = CompiledLabelSelector.compile(spec.getSelector());
        } catch (InvalidLabelSelectorException e) {
            selectorError = e.getMessage();
        }
        String selectorText = spec.getSelector() == null ? "{}" : JSON.valueToTree(spec.getSelector()).toString();
        PodDefaultSelector selector = new PodDefaultSelector(selectorText, compiled, selectorError);
        InjectedJson injected = InjectedJson.of(injected(spec));
        String namespace = meta.getNamespace();
        String name = meta.getName();
        if (sharing != null) {
            selector = sharing.selectors.intern(selector);
            injected = sharing.injected.intern(injected);
            namespace = namespace == null ? null : namespace.intern();
            name = name == null ? null : name.intern();
        }
        return new PreparedPodDefault(namespace, name, meta.getResourceVersion(), selector, injected);
    }

    /** Everything the merge injects, as one JSON object holding only the fields the PodDefault sets. */
    private static ObjectNode injected(PodDefaultSpec spec) {
        ObjectNode out = JSON.createObjectNode();
        if (spec.getServiceAccountName() != null) {
            out.put(InjectedJson.SERVICE_ACCOUNT_NAME, spec.getServiceAccountName());
        }
        if (spec.getAutomountServiceAccountToken() != null) {
            out.put(InjectedJson.AUTOMOUNT, spec.getAutomountServiceAccountToken());
        }
        array(out, "env", spec.getEnv());
        array(out, "envFrom", spec.getEnvFrom());
        array(out, "volumes", spec.getVolumes());
        array(out, "volumeMounts", spec.getVolumeMounts());
        map(out, "annotations", spec.getAnnotations());
        map(out, "labels", spec.getLabels());
        array(out, "tolerations", spec.getTolerations());
        array(out, "imagePullSecrets", spec.getImagePullSecrets());
        array(out, "initContainers", spec.getInitContainers());
        array(out, "sidecars", spec.getSidecars());
        array(out, "command", spec.getCommand());
        array(out, "args", spec.getArgs());
        return out;
    }

    private static void array(ObjectNode out, String field, List<?> items) {
        if (items == null) {
            return;
        }
        ArrayNode array = out.putArray(field);
        for (Object item : items) {
            JsonNode node = JSON.valueToTree(item);
            array.add(node);
        }
    }

    private static void map(ObjectNode out, String field, Map<String, String> m) {
        if (m == null) {
            return;
        }
        ObjectNode object = out.putObject(field);
        m.forEach(object::put);
    }

    /**
     * Identical parts of PodDefaults held once (the same PodDefault is often in every profile namespace). Weak: a
     * part no prepared PodDefault refers to any more is collected. Thread-safe.
     */
    public static final class Sharing {

        private final Interner<PodDefaultSelector> selectors = new Interner<>();
        private final Interner<InjectedJson> injected = new Interner<>();

        /** Distinct selectors held. */
        public int selectors() {
            return selectors.size();
        }

        /** Distinct injected JSON objects held. */
        public int injectedParts() {
            return injected.size();
        }
    }
}
