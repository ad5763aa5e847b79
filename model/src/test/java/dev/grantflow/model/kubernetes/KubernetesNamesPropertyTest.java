package dev.grantflow.model.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.kubernetes.KubernetesNames.Rule;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link KubernetesNames} checks its rules character by character (ADR 14); Kubernetes states them as the regular
 * expressions below (k8s.io/apimachinery/pkg/util/validation). Every generated string gets the answer the expression
 * and the length limit give: strings of the characters the rules are about ('-', '.', '_', '/', digits, both cases)
 * and a few they refuse (space, '*', 'é', a line break), short and long, with the edges of each rule often hit.
 */
class KubernetesNamesPropertyTest {

    private static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL_FMT + "(\\." + LABEL_FMT + ")*");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    @Property(tries = 5000)
    void everyRuleAnswersAsKubernetesExpressionDoes(@ForAll("names") String value) {
        assertThat(Rule.DNS1123_LABEL.accepts(value)).as("DNS1123_LABEL %s", value)
                .isEqualTo(value.length() <= KubernetesNames.DNS1123_LABEL_MAX && DNS1123_LABEL.matcher(value).matches());
        assertThat(Rule.DNS1123_SUBDOMAIN.accepts(value)).as("DNS1123_SUBDOMAIN %s", value)
                .isEqualTo(value.length() <= KubernetesNames.DNS1123_SUBDOMAIN_MAX
                        && DNS1123_SUBDOMAIN.matcher(value).matches());
        assertThat(Rule.LABEL_VALUE.accepts(value)).as("LABEL_VALUE %s", value)
                .isEqualTo(value.isEmpty() || value.length() <= KubernetesNames.LABEL_NAME_MAX
                        && QUALIFIED_NAME_PART.matcher(value).matches());
        assertThat(Rule.LABEL_KEY.accepts(value)).as("LABEL_KEY %s", value).isEqualTo(labelKey(value));
        assertThat(Rule.SECRET_KEY.accepts(value)).as("SECRET_KEY %s", value)
                .isEqualTo(value.length() <= KubernetesNames.SECRET_KEY_MAX && SECRET_KEY.matcher(value).matches()
                        && !chDir(value));
        assertThat(Rule.ENV_VAR_NAME.accepts(value)).as("ENV_VAR_NAME %s", value)
                .isEqualTo(ENV_VAR_NAME.matcher(value).matches() && !chDir(value));
    }

    /** An optional DNS-1123 subdomain prefix and '/', then a qualified name part of at most 63 characters. */
    private static boolean labelKey(String value) {
        int slash = value.indexOf('/');
        String name = slash < 0 ? value : value.substring(slash + 1);
        if (slash >= 0) {
            String prefix = value.substring(0, slash);
            if (prefix.length() > KubernetesNames.DNS1123_SUBDOMAIN_MAX || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return name.length() <= KubernetesNames.LABEL_NAME_MAX && QUALIFIED_NAME_PART.matcher(name).matches();
    }

    private static boolean chDir(String value) {
        return value.equals(".") || value.startsWith("..");
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> edges = Arbitraries.strings().withChars("ab0Z-._/").ofMinLength(0).ofMaxLength(8);
        Arbitrary<String> mixed = Arbitraries.strings().withChars("abcxyzABXZ0189-._/ *é\n").ofMinLength(0)
                .ofMaxLength(24);
        Arbitrary<String> dotted = Arbitraries.strings().withChars("a0-").ofMinLength(0).ofMaxLength(5).list()
                .ofMinSize(1).ofMaxSize(5).map(parts -> String.join(".", parts));
        Arbitrary<String> long_ = Arbitraries.strings().withChars("a-.").ofMinLength(60).ofMaxLength(260)
                .map(s -> "a" + s + "z");
        return Arbitraries.oneOf(edges, mixed, dotted, long_);
    }
}
