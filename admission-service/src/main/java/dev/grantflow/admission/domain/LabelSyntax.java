package dev.grantflow.admission.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes label key and value syntax (apimachinery {@code validation.IsQualifiedName} and
 * {@code IsValidLabelValue}). Returns a human-readable problem, or empty when the text is valid.
 */
final class LabelSyntax {

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int NAME_MAX = 63;
    private static final int PREFIX_MAX = 253;

    private LabelSyntax() {
    }

    static Optional<String> keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("key must not be empty");
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()) {
                return Optional.of("key \"" + key + "\": prefix part must not be empty");
            }
            if (prefix.length() > PREFIX_MAX || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("key \"" + key + "\": prefix part must be a lowercase DNS subdomain of at most 253 characters");
            }
        }
        if (name.isEmpty()) {
            return Optional.of("key \"" + key + "\": name part must not be empty");
        }
        if (name.length() > NAME_MAX) {
            return Optional.of("key \"" + key + "\": name part must be no more than 63 characters");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("key \"" + key + "\": name part must consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character");
        }
        return Optional.empty();
    }

    static Optional<String> valueProblem(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > NAME_MAX) {
            return Optional.of("value \"" + value + "\": must be no more than 63 characters");
        }
        if (!NAME.matcher(value).matches()) {
            return Optional.of("value \"" + value + "\": must be empty or consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character");
        }
        return Optional.empty();
    }
}
