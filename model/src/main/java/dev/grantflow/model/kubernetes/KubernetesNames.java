package dev.grantflow.model.kubernetes;

import java.util.Optional;

/**
 * Kubernetes' naming rules (as in {@code k8s.io/apimachinery/pkg/util/validation}), as pure checks. Used by the grant
 * validation and reusable by any service that builds names or labels.
 *
 * <p>Each {@link Rule} answers {@link Rule#accepts} and, for messages, {@link Rule#check}, which names the first
 * problem found without repeating the checked value. {@link #labelKeyProblem} and {@link #labelValueProblem} are the
 * same rules as sentences that do name the key or value, for selectors and label maps.
 *
 * <p>The character rules are Kubernetes' regular expressions (given with each check below), checked character by
 * character: a start of grant-service checks a dozen names for each of 100,000 grants, and a {@link
 * java.util.regex.Matcher} per check was most of that validation's time and allocation (ADR 14).
 * {@code KubernetesNamesPropertyTest} holds the expressions and requires the same answer for every generated string.
 */
public final class KubernetesNames {

    /** Max length of a DNS-1123 label (namespace names, label names). */
    public static final int DNS1123_LABEL_MAX = 63;
    /** Max length of a DNS-1123 subdomain (most object names, label key prefixes). */
    public static final int DNS1123_SUBDOMAIN_MAX = 253;
    /** Max length of the name part of a label key, and of a label value. */
    public static final int LABEL_NAME_MAX = 63;
    /** Max length of a Secret or ConfigMap data key. */
    public static final int SECRET_KEY_MAX = 253;


    private KubernetesNames() {
    }

    /** What is wrong with a checked string. */
    public enum ProblemKind {
        /** {@code null} or empty where a value is required. */
        EMPTY,
        /** Longer than the rule allows. */
        TOO_LONG,
        /** Characters or structure not allowed by the rule. */
        INVALID
    }

    /** A rule violation: which kind, and a human sentence that does not repeat the checked value. */
    public record Problem(ProblemKind kind, String message) {
    }

    /** The naming rules. */
    public enum Rule {
        /** RFC 1123 label: namespace names. */
        DNS1123_LABEL(DNS1123_LABEL_MAX,
                "must be a lowercase RFC 1123 label: lowercase alphanumeric characters or '-', starting and ending"
                        + " with an alphanumeric character"),
        /** RFC 1123 subdomain: names of Secrets, PodDefaults and most other objects. */
        DNS1123_SUBDOMAIN(DNS1123_SUBDOMAIN_MAX,
                "must be a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, '-' or '.', starting and"
                        + " ending with an alphanumeric character"),
        /** Label or annotation key: optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters. */
        LABEL_KEY(DNS1123_SUBDOMAIN_MAX + 1 + LABEL_NAME_MAX,
                "must be a qualified name: an optional DNS subdomain prefix and '/', then at most 63 alphanumeric"
                        + " characters, '-', '_' or '.', starting and ending with an alphanumeric character"),
        /** Label value; the empty string is a valid label value. */
        LABEL_VALUE(LABEL_NAME_MAX,
                "must be empty or alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric"
                        + " character"),
        /** Key of a Secret's or ConfigMap's data. */
        SECRET_KEY(SECRET_KEY_MAX,
                "must consist of alphanumeric characters, '-', '_' or '.', and must not be '.' or '..' or start with"
                        + " '..'"),
        /** Name of an environment variable (the classic rule, accepted by every Kubernetes version). */
        ENV_VAR_NAME(Integer.MAX_VALUE,
                "must consist of alphabetic characters, digits, '_', '-' or '.', must not start with a digit, and"
                        + " must not be '.' or '..' or start with '..'");

        private final int maxLength;
        private final String description;

        Rule(int maxLength, String description) {
            this.maxLength = maxLength;
            this.description = description;
        }

        public int maxLength() {
            return maxLength;
        }

        /** The rule in words, e.g. for an error message. */
        public String description() {
            return description;
        }

        public boolean accepts(String value) {
            return check(value).isEmpty();
        }

        /** The first problem of {@code value} under this rule, or empty when it is valid. */
        public Optional<Problem> check(String value) {
            if (value == null || value.isEmpty()) {
                return this == LABEL_VALUE && value != null ? Optional.empty()
                        : Optional.of(new Problem(ProblemKind.EMPTY, "must not be empty"));
            }
            if (this == LABEL_KEY) {
                return checkLabelKey(value);
            }
            if (value.length() > maxLength) {
                return Optional.of(new Problem(ProblemKind.TOO_LONG, "must be no more than " + maxLength + " characters"));
            }
            boolean valid = switch (this) {
                case DNS1123_LABEL -> dns1123Label(value, 0, value.length());
                case DNS1123_SUBDOMAIN -> dns1123Subdomain(value);
                case LABEL_VALUE -> qualifiedNamePart(value);
                case SECRET_KEY -> secretKeyCharacters(value) && !hasChDirPrefix(value);
                case ENV_VAR_NAME -> envVarNameCharacters(value) && !hasChDirPrefix(value);
                case LABEL_KEY -> throw new IllegalStateException("handled above");
            };
            return valid ? Optional.empty() : Optional.of(new Problem(ProblemKind.INVALID, description));
        }

        private static Optional<Problem> checkLabelKey(String value) {
            String name = value;
            int slash = value.indexOf('/');
            if (slash >= 0) {
                String prefix = value.substring(0, slash);
                name = value.substring(slash + 1);
                if (prefix.isEmpty()) {
                    return Optional.of(new Problem(ProblemKind.INVALID, "prefix before '/' must not be empty"));
                }
                if (prefix.length() > DNS1123_SUBDOMAIN_MAX) {
                    return Optional.of(new Problem(ProblemKind.TOO_LONG,
                            "prefix must be no more than " + DNS1123_SUBDOMAIN_MAX + " characters"));
                }
                if (!dns1123Subdomain(prefix)) {
                    return Optional.of(new Problem(ProblemKind.INVALID, "prefix " + DNS1123_SUBDOMAIN.description()));
                }
            }
            if (name.isEmpty()) {
                return Optional.of(new Problem(ProblemKind.INVALID, "name part must not be empty"));
            }
            if (name.length() > LABEL_NAME_MAX) {
                return Optional.of(new Problem(ProblemKind.TOO_LONG, "name part must be no more than " + LABEL_NAME_MAX + " characters"));
            }
            if (!qualifiedNamePart(name)) {
                return Optional.of(new Problem(ProblemKind.INVALID, LABEL_KEY.description));
            }
            return Optional.empty();
        }

        private static boolean hasChDirPrefix(String value) {
            return value.equals(".") || value.startsWith("..");
        }
    }

    /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, over {@code value[from, to)}. */
    private static boolean dns1123Label(String value, int from, int to) {
        if (from >= to || !lowerAlphanumeric(value.charAt(from)) || !lowerAlphanumeric(value.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = value.charAt(i);
            if (!lowerAlphanumeric(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** DNS-1123 labels joined by '.': {@code LABEL(\.LABEL)*}. */
    private static boolean dns1123Subdomain(String value) {
        int from = 0;
        for (int dot = value.indexOf('.'); dot >= 0; dot = value.indexOf('.', from)) {
            if (!dns1123Label(value, from, dot)) {
                return false;
            }
            from = dot + 1;
        }
        return dns1123Label(value, from, value.length());
    }

    /** {@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]}: label values and the name part of label keys. */
    private static boolean qualifiedNamePart(String value) {
        int last = value.length() - 1;
        if (last < 0 || !alphanumeric(value.charAt(0)) || !alphanumeric(value.charAt(last))) {
            return false;
        }
        for (int i = 1; i < last; i++) {
            char c = value.charAt(i);
            if (!alphanumeric(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** {@code [-._a-zA-Z0-9]+}. */
    private static boolean secretKeyCharacters(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!alphanumeric(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return !value.isEmpty();
    }

    /** {@code [-._a-zA-Z][-._a-zA-Z0-9]*}. */
    private static boolean envVarNameCharacters(String value) {
        return !value.isEmpty() && !(value.charAt(0) >= '0' && value.charAt(0) <= '9') && secretKeyCharacters(value);
    }

    private static boolean lowerAlphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    private static boolean alphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /**
     * The first problem of a label (or annotation) key as a sentence that names the key, e.g. {@code key "bad key":
     * must be a qualified name: ...}; empty when the key is valid. Unlike {@link Rule#check} it repeats the checked
     * string: label keys are not secret, and a message about a selector or a map must say which key is wrong.
     */
    public static Optional<String> labelKeyProblem(String key) {
        return Rule.LABEL_KEY.check(key).map(p -> "key \"" + (key == null ? "" : key) + "\": " + p.message());
    }

    /**
     * The first problem of a label value as a sentence that names the value, e.g. {@code value "a b": must be empty
     * or ...}; empty when the value is valid. {@code null} counts as the empty value, which is valid (a JSON map may
     * hold a {@code null} entry where Kubernetes would read "").
     */
    public static Optional<String> labelValueProblem(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return Rule.LABEL_VALUE.check(value).map(p -> "value \"" + value + "\": " + p.message());
    }

    public static boolean isDns1123Label(String value) {
        return Rule.DNS1123_LABEL.accepts(value);
    }

    public static boolean isDns1123Subdomain(String value) {
        return Rule.DNS1123_SUBDOMAIN.accepts(value);
    }

    public static boolean isLabelKey(String value) {
        return Rule.LABEL_KEY.accepts(value);
    }

    public static boolean isLabelValue(String value) {
        return Rule.LABEL_VALUE.accepts(value);
    }

    public static boolean isSecretKey(String value) {
        return Rule.SECRET_KEY.accepts(value);
    }

    public static boolean isEnvVarName(String value) {
        return Rule.ENV_VAR_NAME.accepts(value);
    }
}
