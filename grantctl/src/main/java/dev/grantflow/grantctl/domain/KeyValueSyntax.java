package dev.grantflow.grantctl.domain;

/**
 * Splits {@code KEY=VALUE} arguments ({@code --from-literal}, {@code --from-file}, {@code --env},
 * {@code --kafka-property}). Errors name the option and the argument's position, and show the key at most, never
 * what follows the '='.
 */
public final class KeyValueSyntax {

    /** A split argument. */
    public record Pair(String key, String value) {
        @Override
        public String toString() {
            return "Pair[key=" + key + "]";
        }
    }

    private KeyValueSyntax() {
    }

    /** Splits at the first '='; {@code index} (1-based) names the occurrence of {@code option} in errors. */
    public static Pair split(String option, int index, String argument, String form) {
        int eq = argument == null ? -1 : argument.indexOf('=');
        if (eq <= 0) {
            throw GrantctlFailure.usage(option + " (occurrence " + index + ") must be " + form
                    + " with a non-empty key before '=' (the argument is not shown: it may hold a secret)");
        }
        return new Pair(argument.substring(0, eq), argument.substring(eq + 1));
    }
}
