package dev.grantflow.model.grant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.model.kubernetes.InvalidLabelSelectorException;
import dev.grantflow.model.kubernetes.KubernetesNames;
import io.fabric8.kubernetes.api.model.LabelSelector;
import dev.grantflow.model.kubernetes.KubernetesNames.Rule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a grant may be applied, before anything touches Kubernetes. Pure: no I/O, never throws on bad
 * input, and reports <em>all</em> problems at once (in document order) so an administrator can fix them in one go.
 *
 * <p>Messages may quote names, keys and paths (shortened, see {@link Quote}), never secret data: neither the
 * sealedData values (ciphertext, but still secret) nor the description are echoed.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>{@code apiVersion} = {@value Grant#API_VERSION}, {@code kind} = {@value Grant#KIND}.</li>
 *   <li>Exactly one of {@code metadata.tenant}, a DNS-1123 label (namespace name), and
 *       {@code metadata.tenantSelector}, a label selector the model's {@link CompiledLabelSelector} compiles
 *       (matchLabels; matchExpressions In and NotIn with values, Exists and DoesNotExist without). {@code metadata.name}: DNS-1123 subdomain of at
 *       most {@value #GRANT_NAME_MAX} characters, because it is also the value of the {@code grantflow.dev/grant}
 *       label. {@code generation} &ge; 1. {@code issuedAt} required. {@code issuer} optional, at most
 *       {@value #ISSUER_MAX} characters. With a record key given, it must equal {@code <tenant>/<name>}, or {@code &#42;/<name>} for a selector grant.</li>
 *   <li>{@code spec.secret.name}: DNS-1123 subdomain. {@code type}: one of {@link SecretType}. {@code source}: exactly
 *       one of {@code secretRef} (namespace: DNS-1123 label, name: DNS-1123 subdomain) or {@code sealedData}.</li>
 *   <li>{@code sealedData}: 1 to {@value #SEALED_KEYS_MAX} keys, each a valid secret key; each value a JWE compact
 *       serialization (five base64url parts; protected header with {@code alg} {@value #JWE_ALG} and {@code enc}
 *       {@value #JWE_ENC}); keys plus values at most {@value #SEALED_BYTES_MAX} bytes; the keys the secret type
 *       requires (e.g. {@code .dockerconfigjson}) present.</li>
 *   <li>{@code spec.podDefault}: name DNS-1123 subdomain; {@code desc} at most {@value #DESC_MAX} characters;
 *       {@code selectorLabel} a label key; {@code mountPath} allowed by {@link MountPathPolicy}.</li>
 *   <li>{@code items} (optional, at most {@value #ITEMS_MAX}): key a valid secret key, path relative, no '..' segment
 *       or prefix, no empty segment, paths unique. {@code env} (at most {@value #ENV_MAX}): name a valid environment
 *       variable name, names unique, key a valid secret key. With sealedData, every referenced key must exist in
 *       it (a secretRef source's keys are only known when grant-service reads it).</li>
 *   <li>{@code spec.expiresAt}, when set, after {@code metadata.issuedAt}.</li>
 * </ul>
 */
public final class GrantValidationPolicy {

    public static final int GRANT_NAME_MAX = KubernetesNames.LABEL_NAME_MAX;
    public static final int ISSUER_MAX = 256;
    public static final int DESC_MAX = 1024;
    public static final int SEALED_KEYS_MAX = 64;
    public static final int SEALED_BYTES_MAX = 1024 * 1024;
    public static final int ITEMS_MAX = 64;
    public static final int ENV_MAX = 64;
    public static final int ITEM_PATH_MAX = 1024;
    public static final String JWE_ALG = "RSA-OAEP-256";
    public static final String JWE_ENC = "A256GCM";

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    private GrantValidationPolicy() {
    }

    /** Validates a grant without a record key (e.g. one posted to the admin API). */
    public static GrantValidation validate(Grant grant) {
        return validate(grant, null);
    }

    /** Validates a grant read from Kafka with {@code recordKey} (may be {@code null} when unknown or unparseable). */
    public static GrantValidation validate(Grant grant, GrantKey recordKey) {
        List<Violation> violations = violations(grant, recordKey);
        return violations.isEmpty() ? new GrantValidation.Valid(grant) : new GrantValidation.Invalid(violations);
    }

    /** All violations of {@code grant}; empty when it is valid. */
    public static List<Violation> violations(Grant grant, GrantKey recordKey) {
        List<Violation> out = new ArrayList<>();
        if (grant == null) {
            out.add(new Violation("$", ViolationReason.REQUIRED, "grant is required"));
            return out;
        }
        constant(out, "apiVersion", grant.apiVersion(), Grant.API_VERSION);
        constant(out, "kind", grant.kind(), Grant.KIND);
        GrantMetadata metadata = grant.metadata();
        if (metadata == null) {
            out.add(required("metadata"));
        } else {
            metadata(out, metadata, recordKey);
        }
        GrantSpec spec = grant.spec();
        if (spec == null) {
            out.add(required("spec"));
        } else {
            spec(out, spec, metadata);
        }
        return List.copyOf(out);
    }

    /**
     * All violations of a revocation read with {@code recordKey}: apiVersion, kind {@value GrantRevocation#KIND} and
     * the same metadata rules as a grant's.
     */
    public static List<Violation> revocationViolations(GrantRevocation revocation, GrantKey recordKey) {
        List<Violation> out = new ArrayList<>();
        if (revocation == null) {
            out.add(new Violation("$", ViolationReason.REQUIRED, "revocation is required"));
            return out;
        }
        constant(out, "apiVersion", revocation.apiVersion(), Grant.API_VERSION);
        constant(out, "kind", revocation.kind(), GrantRevocation.KIND);
        if (revocation.metadata() == null) {
            out.add(required("metadata"));
        } else {
            metadata(out, revocation.metadata(), recordKey);
        }
        return List.copyOf(out);
    }

    private static void metadata(List<Violation> out, GrantMetadata metadata, GrantKey recordKey) {
        if (metadata.tenantSelector() == null) {
            name(out, "metadata.tenant", metadata.tenant(), Rule.DNS1123_LABEL);
        } else if (metadata.tenant() != null) {
            out.add(new Violation("metadata", ViolationReason.AMBIGUOUS,
                    "a grant names exactly one of metadata.tenant or metadata.tenantSelector, not both"));
        } else {
            tenantSelector(out, metadata.tenantSelector());
        }
        if (name(out, "metadata.name", metadata.name(), Rule.DNS1123_SUBDOMAIN) && metadata.name().length() > GRANT_NAME_MAX) {
            out.add(new Violation("metadata.name", ViolationReason.TOO_LONG, "grant name must be no more than "
                    + GRANT_NAME_MAX + " characters, because it is also used as a label value"));
        }
        if (metadata.generation() < 1) {
            out.add(new Violation("metadata.generation", ViolationReason.OUT_OF_RANGE,
                    "generation must be at least 1 (it is " + metadata.generation() + ")"));
        }
        if (metadata.issuedAt() == null) {
            out.add(required("metadata.issuedAt"));
        }
        if (metadata.issuer() != null && metadata.issuer().length() > ISSUER_MAX) {
            out.add(new Violation("metadata.issuer", ViolationReason.TOO_LONG,
                    "issuer must be no more than " + ISSUER_MAX + " characters"));
        }
        Optional<GrantKey> named = metadata.key();
        if (recordKey != null && named.isPresent() && !recordKey.equals(named.get())) {
            out.add(new Violation("metadata", ViolationReason.KEY_MISMATCH, "record key " + Quote.of(recordKey.format())
                    + " does not match metadata " + (metadata.tenant() != null ? "tenant/name " : "*/name (a selector "
                    + "grant) ") + Quote.of(named.get().format())));
        }
    }

    /** A selector over tenant namespaces' labels, compiled by the one selector engine to find its problems. */
    private static void tenantSelector(List<Violation> out, LabelSelector selector) {
        try {
            CompiledLabelSelector.compile(selector);
        } catch (InvalidLabelSelectorException e) {
            out.add(new Violation("metadata.tenantSelector", ViolationReason.INVALID_FORMAT, e.getMessage()));
        }
    }

    private static void spec(List<Violation> out, GrantSpec spec, GrantMetadata metadata) {
        GrantSecret secret = spec.secret();
        Set<String> sealedKeys = null;
        if (secret == null) {
            out.add(required("spec.secret"));
        } else {
            sealedKeys = secret(out, secret);
        }
        GrantPodDefault podDefault = spec.podDefault();
        if (podDefault == null) {
            out.add(required("spec.podDefault"));
        } else {
            podDefault(out, podDefault, sealedKeys);
        }
        if (spec.expiresAt() != null && metadata != null && metadata.issuedAt() != null
                && !spec.expiresAt().isAfter(metadata.issuedAt())) {
            out.add(new Violation("spec.expiresAt", ViolationReason.OUT_OF_RANGE,
                    "expiresAt must be after metadata.issuedAt"));
        }
    }

    /** Checks the secret; returns the sealed data's keys when the source is sealedData, else {@code null}. */
    private static Set<String> secret(List<Violation> out, GrantSecret secret) {
        name(out, "spec.secret.name", secret.name(), Rule.DNS1123_SUBDOMAIN);
        Optional<SecretType> type = secret.secretType();
        if (secret.type() == null || secret.type().isEmpty()) {
            out.add(required("spec.secret.type"));
        } else if (type.isEmpty()) {
            out.add(new Violation("spec.secret.type", ViolationReason.UNSUPPORTED, "secret type " + Quote.of(secret.type())
                    + " is not supported; use one of " + String.join(", ", SecretType.supportedValues())));
        }
        SecretSource source = secret.source();
        String field = "spec.secret.source";
        if (source == null || source.kind() == SecretSource.Kind.NONE) {
            out.add(new Violation(field, ViolationReason.REQUIRED, "source requires exactly one of secretRef or sealedData"));
            return null;
        }
        if (source.kind() == SecretSource.Kind.BOTH) {
            out.add(new Violation(field, ViolationReason.AMBIGUOUS,
                    "source must have exactly one of secretRef or sealedData, not both"));
        }
        if (source.secretRef() != null) {
            name(out, field + ".secretRef.namespace", source.secretRef().namespace(), Rule.DNS1123_LABEL);
            name(out, field + ".secretRef.name", source.secretRef().name(), Rule.DNS1123_SUBDOMAIN);
        }
        if (source.sealedData() == null) {
            return null;
        }
        Map<String, String> sealed = source.sealedData();
        String sealedField = field + ".sealedData";
        if (sealed.isEmpty()) {
            out.add(new Violation(sealedField, ViolationReason.REQUIRED, "sealedData must contain at least one key"));
        }
        if (sealed.size() > SEALED_KEYS_MAX) {
            out.add(new Violation(sealedField, ViolationReason.TOO_MANY, "sealedData must have no more than "
                    + SEALED_KEYS_MAX + " keys (it has " + sealed.size() + ")"));
        }
        long bytes = 0;
        for (Map.Entry<String, String> entry : sealed.entrySet()) {
            String entryField = sealedField + "[" + Quote.of(entry.getKey()) + "]";
            secretKey(out, entryField, entry.getKey(), "sealedData key");
            jwe(out, entryField, entry.getValue());
            bytes += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
        }
        if (bytes > SEALED_BYTES_MAX) {
            out.add(new Violation(sealedField, ViolationReason.TOO_LARGE,
                    "sealedData must be no more than " + SEALED_BYTES_MAX + " bytes in total (it has " + bytes + ")"));
        }
        type.ifPresent(t -> {
            List<String> missing = t.missingKeys(sealed.keySet());
            if (!missing.isEmpty()) {
                out.add(new Violation(sealedField, ViolationReason.MISSING_KEY, "secret type " + t.value() + " requires "
                        + (t.requiresAnyOf() ? "at least one of the keys " : "the key(s) ") + String.join(", ", missing)));
            }
        });
        return sealed.keySet();
    }

    private static void podDefault(List<Violation> out, GrantPodDefault podDefault, Set<String> sealedKeys) {
        String field = "spec.podDefault";
        name(out, field + ".name", podDefault.name(), Rule.DNS1123_SUBDOMAIN);
        if (podDefault.desc() != null && podDefault.desc().length() > DESC_MAX) {
            out.add(new Violation(field + ".desc", ViolationReason.TOO_LONG,
                    "desc must be no more than " + DESC_MAX + " characters"));
        }
        name(out, field + ".selectorLabel", podDefault.selectorLabel(), Rule.LABEL_KEY);
        out.addAll(MountPathPolicy.check(field + ".mountPath", podDefault.mountPath()));

        List<SecretItem> items = podDefault.items();
        if (items != null) {
            if (items.size() > ITEMS_MAX) {
                out.add(new Violation(field + ".items", ViolationReason.TOO_MANY,
                        "items must have no more than " + ITEMS_MAX + " entries (it has " + items.size() + ")"));
            }
            Set<String> paths = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                String itemField = field + ".items[" + i + "]";
                SecretItem item = items.get(i);
                if (item == null) {
                    out.add(required(itemField));
                    continue;
                }
                if (secretKey(out, itemField + ".key", item.key(), "item key")) {
                    referencedKey(out, itemField + ".key", item.key(), sealedKeys);
                }
                if (itemPath(out, itemField + ".path", item.path()) && !paths.add(item.path())) {
                    out.add(new Violation(itemField + ".path", ViolationReason.DUPLICATE,
                            "item path " + Quote.of(item.path()) + " is used by an earlier item"));
                }
            }
        }

        List<SecretEnvVar> env = podDefault.env();
        if (env.size() > ENV_MAX) {
            out.add(new Violation(field + ".env", ViolationReason.TOO_MANY,
                    "env must have no more than " + ENV_MAX + " entries (it has " + env.size() + ")"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < env.size(); i++) {
            String envField = field + ".env[" + i + "]";
            SecretEnvVar var = env.get(i);
            if (var == null) {
                out.add(required(envField));
                continue;
            }
            if (name(out, envField + ".name", var.name(), Rule.ENV_VAR_NAME) && !names.add(var.name())) {
                out.add(new Violation(envField + ".name", ViolationReason.DUPLICATE,
                        "environment variable " + Quote.of(var.name()) + " is defined by an earlier entry"));
            }
            if (secretKey(out, envField + ".key", var.key(), "env key")) {
                referencedKey(out, envField + ".key", var.key(), sealedKeys);
            }
        }
    }

    private static void constant(List<Violation> out, String field, String value, String expected) {
        if (value == null || value.isEmpty()) {
            out.add(required(field));
        } else if (!value.equals(expected)) {
            out.add(new Violation(field, ViolationReason.UNSUPPORTED,
                    field + " " + Quote.of(value) + " is not supported; expected " + expected));
        }
    }

    /** Checks {@code value} against a naming rule; returns whether it is valid. */
    private static boolean name(List<Violation> out, String field, String value, Rule rule) {
        Optional<KubernetesNames.Problem> problem = rule.check(value);
        problem.ifPresent(p -> {
            String what = field.substring(field.lastIndexOf('.') + 1);
            out.add(switch (p.kind()) {
                case EMPTY -> required(field);
                case TOO_LONG -> new Violation(field, ViolationReason.TOO_LONG, what + " " + p.message());
                case INVALID -> new Violation(field, ViolationReason.INVALID_FORMAT,
                        what + " " + Quote.of(value) + " " + p.message());
            });
        });
        return problem.isEmpty();
    }

    private static boolean secretKey(List<Violation> out, String field, String key, String what) {
        Optional<KubernetesNames.Problem> problem = Rule.SECRET_KEY.check(key);
        problem.ifPresent(p -> out.add(switch (p.kind()) {
            case EMPTY -> new Violation(field, ViolationReason.REQUIRED, what + " is required");
            case TOO_LONG -> new Violation(field, ViolationReason.TOO_LONG, what + " " + p.message());
            case INVALID -> new Violation(field, ViolationReason.INVALID_FORMAT, what + " " + Quote.of(key) + " " + p.message());
        }));
        return problem.isEmpty();
    }

    private static void referencedKey(List<Violation> out, String field, String key, Set<String> sealedKeys) {
        if (sealedKeys != null && !sealedKeys.contains(key)) {
            out.add(new Violation(field, ViolationReason.MISSING_KEY, "key " + Quote.of(key) + " is not in sealedData"));
        }
    }

    /** A projected file path, as Kubernetes requires for {@code KeyToPath.path}; returns whether it is valid. */
    private static boolean itemPath(List<Violation> out, String field, String path) {
        if (path == null || path.isEmpty()) {
            out.add(new Violation(field, ViolationReason.REQUIRED, "item path is required"));
            return false;
        }
        if (path.length() > ITEM_PATH_MAX) {
            out.add(new Violation(field, ViolationReason.TOO_LONG, "item path must be no more than " + ITEM_PATH_MAX + " characters"));
            return false;
        }
        String problem = null;
        if (path.startsWith("/")) {
            problem = "must be relative to the mount path";
        } else if (path.chars().anyMatch(Character::isISOControl)) {
            problem = "must not contain control characters";
        } else if (path.startsWith("..")) {
            problem = "must not start with '..'";
        } else {
            for (String segment : path.split("/", -1)) {
                if (segment.equals("..")) {
                    problem = "must not contain a '..' segment";
                    break;
                }
                if (segment.isEmpty()) {
                    problem = "must not contain an empty segment ('//' or a trailing '/')";
                    break;
                }
            }
            if (problem == null && Arrays.stream(path.split("/", -1)).allMatch(segment -> segment.equals("."))) {
                // '.', './.': the mount directory itself, not a file below it.
                problem = "must name a file below the mount path, not the mount path itself ('.')";
            }
        }
        if (problem != null) {
            out.add(new Violation(field, ViolationReason.INVALID_FORMAT, "item path " + Quote.of(path) + " " + problem));
            return false;
        }
        return true;
    }

    /** Checks that a sealed value looks like a JWE compact serialization for our algorithms; never quotes it. */
    private static void jwe(List<Violation> out, String field, String value) {
        if (value == null || value.isEmpty()) {
            out.add(new Violation(field, ViolationReason.REQUIRED, "sealed value is required"));
            return;
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 5) {
            out.add(new Violation(field, ViolationReason.INVALID_FORMAT,
                    "sealed value must be a JWE compact serialization: 5 base64url parts separated by '.' (it has "
                            + parts.length + ")"));
            return;
        }
        for (String part : parts) {
            if (!BASE64URL.matcher(part).matches()) {
                out.add(new Violation(field, ViolationReason.INVALID_FORMAT,
                        "sealed value must be a JWE compact serialization: parts must be unpadded base64url"));
                return;
            }
        }
        // header . encrypted key . IV . ciphertext . tag: only the ciphertext of an empty value may be empty.
        if (parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty() || parts[4].isEmpty()) {
            out.add(new Violation(field, ViolationReason.INVALID_FORMAT,
                    "sealed value must be a JWE compact serialization with protected header, encrypted key, IV and tag"));
            return;
        }
        JsonNode header;
        try {
            header = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        } catch (Exception e) {
            header = null;
        }
        if (header == null || !header.isObject()) {
            out.add(new Violation(field, ViolationReason.INVALID_FORMAT,
                    "sealed value must be a JWE compact serialization: the protected header is not a base64url JSON object"));
            return;
        }
        if (!JWE_ALG.equals(header.path("alg").asText(null)) || !JWE_ENC.equals(header.path("enc").asText(null))) {
            out.add(new Violation(field, ViolationReason.UNSUPPORTED,
                    "sealed value must be encrypted with alg " + JWE_ALG + " and enc " + JWE_ENC));
        }
    }

    private static Violation required(String field) {
        return new Violation(field, ViolationReason.REQUIRED, field.substring(field.lastIndexOf('.') + 1) + " is required");
    }

    private static long utf8Length(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
