package dev.grantflow.model.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.kubernetes.KubernetesNames.ProblemKind;
import dev.grantflow.model.kubernetes.KubernetesNames.Rule;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubernetes' own examples and edge cases for each naming rule (apimachinery validation tests as the reference). */
class KubernetesNamesTest {

    private static final Pattern REPEAT = Pattern.compile("<(.)\\*(\\d+)>");

    /** Expands {@code <c*n>} to n times c, so that long values fit in a table. */
    static String expand(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = REPEAT.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, m.group(1).repeat(Integer.parseInt(m.group(2))));
        }
        return m.appendTail(sb).toString();
    }

    @ParameterizedTest(name = "{0} \"{1}\": {2}")
    @CsvSource(nullValues = "NULL", value = {
            // rule, value, expected problem (NONE = valid)
            "DNS1123_LABEL, alice, NONE",
            "DNS1123_LABEL, a, NONE",
            "DNS1123_LABEL, 0, NONE",
            "DNS1123_LABEL, kubeflow-user-example-com, NONE",
            "DNS1123_LABEL, <a*63>, NONE",
            "DNS1123_LABEL, <a*64>, TOO_LONG",
            "DNS1123_LABEL, Alice, INVALID",
            "DNS1123_LABEL, team.alice, INVALID",
            "DNS1123_LABEL, -alice, INVALID",
            "DNS1123_LABEL, alice-, INVALID",
            "DNS1123_LABEL, al_ice, INVALID",
            "DNS1123_LABEL, '', EMPTY",
            "DNS1123_LABEL, NULL, EMPTY",
            "DNS1123_SUBDOMAIN, test-secret, NONE",
            "DNS1123_SUBDOMAIN, a.b-c.d, NONE",
            "DNS1123_SUBDOMAIN, <a*63>.<a*63>.<a*63>.<a*61>, NONE",
            "DNS1123_SUBDOMAIN, <a*63>.<a*63>.<a*63>.<a*62>, TOO_LONG",
            "DNS1123_SUBDOMAIN, a..b, INVALID",
            "DNS1123_SUBDOMAIN, .a, INVALID",
            "DNS1123_SUBDOMAIN, a., INVALID",
            "DNS1123_SUBDOMAIN, Test, INVALID",
            "DNS1123_SUBDOMAIN, a_b, INVALID",
            "DNS1123_SUBDOMAIN, '', EMPTY",
            "LABEL_KEY, test-secret, NONE",
            "LABEL_KEY, Test_Secret.v1, NONE",
            "LABEL_KEY, grantflow.dev/test-secret, NONE",
            "LABEL_KEY, app.kubernetes.io/part-of, NONE",
            "LABEL_KEY, <a*63>, NONE",
            "LABEL_KEY, <a*64>, TOO_LONG",
            "LABEL_KEY, example.com/<a*64>, TOO_LONG",
            "LABEL_KEY, -secret, INVALID",
            "LABEL_KEY, secret-, INVALID",
            "LABEL_KEY, /secret, INVALID",
            "LABEL_KEY, example.com/, INVALID",
            "LABEL_KEY, Example.com/secret, INVALID",
            "LABEL_KEY, a/b/c, INVALID",
            "LABEL_KEY, with space, INVALID",
            "LABEL_KEY, '', EMPTY",
            "LABEL_VALUE, true, NONE",
            "LABEL_VALUE, '', NONE",
            "LABEL_VALUE, a.b_c-D, NONE",
            "LABEL_VALUE, <a*64>, TOO_LONG",
            "LABEL_VALUE, a/b, INVALID",
            "LABEL_VALUE, _a, INVALID",
            "SECRET_KEY, .dockerconfigjson, NONE",
            "SECRET_KEY, tls.crt, NONE",
            "SECRET_KEY, KEY_NAME, NONE",
            "SECRET_KEY, key-name, NONE",
            "SECRET_KEY, <k*253>, NONE",
            "SECRET_KEY, <k*254>, TOO_LONG",
            "SECRET_KEY, ., INVALID",
            "SECRET_KEY, .., INVALID",
            "SECRET_KEY, ..data, INVALID",
            "SECRET_KEY, a/b, INVALID",
            "SECRET_KEY, a b, INVALID",
            "SECRET_KEY, '', EMPTY",
            "ENV_VAR_NAME, GOOGLE_APPLICATION_CREDENTIALS, NONE",
            "ENV_VAR_NAME, my.env-name, NONE",
            "ENV_VAR_NAME, MY_ENV.NAME, NONE",
            "ENV_VAR_NAME, MyEnvName1, NONE",
            "ENV_VAR_NAME, _X, NONE",
            "ENV_VAR_NAME, 1BAD, INVALID",
            "ENV_VAR_NAME, MY VAR, INVALID",
            "ENV_VAR_NAME, A=B, INVALID",
            "ENV_VAR_NAME, ., INVALID",
            "ENV_VAR_NAME, ..X, INVALID",
            "ENV_VAR_NAME, '', EMPTY"})
    void rule(Rule rule, String table, String expected) {
        String value = expand(table);
        Optional<KubernetesNames.Problem> problem = rule.check(value);

        if (expected.equals("NONE")) {
            assertThat(problem).isEmpty();
            assertThat(rule.accepts(value)).isTrue();
        } else {
            assertThat(problem).map(KubernetesNames.Problem::kind).contains(ProblemKind.valueOf(expected));
            assertThat(rule.accepts(value)).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource({"alice, true", "Alice, false"})
    void shortcutsDelegateToTheRules(String value, boolean valid) {
        assertThat(KubernetesNames.isDns1123Label(value)).isEqualTo(valid);
        assertThat(KubernetesNames.isDns1123Subdomain(value)).isEqualTo(valid);
        assertThat(KubernetesNames.isSecretKey(value + "/")).isFalse();
        assertThat(KubernetesNames.isLabelKey(value)).isTrue();
        assertThat(KubernetesNames.isLabelValue(value)).isTrue();
        assertThat(KubernetesNames.isEnvVarName(value)).isTrue();
    }

    @ParameterizedTest(name = "key \"{0}\": {1}")
    @CsvSource(nullValues = "NULL", delimiter = '#', value = {
            // key # expected sentence (NONE = valid)
            "app.kubernetes.io/part-of # NONE",
            "bad key   # key \"bad key\": must be a qualified name: an optional DNS subdomain prefix and '/', then at most 63",
            "/a        # key \"/a\": prefix before '/' must not be empty",
            "Example.com/a # key \"Example.com/a\": prefix must be a lowercase RFC 1123 subdomain",
            "<a*64>    # must be no more than 63 characters",
            "''        # key \"\": must not be empty",
            "NULL      # key \"\": must not be empty"})
    void labelKeyProblemNamesTheKey(String table, String expected) {
        Optional<String> problem = KubernetesNames.labelKeyProblem(expand(table));

        if (expected.equals("NONE")) {
            assertThat(problem).isEmpty();
        } else {
            assertThat(problem).hasValueSatisfying(p -> assertThat(p).startsWith("key \"").contains(expected));
        }
    }

    @ParameterizedTest(name = "value \"{0}\": {1}")
    @CsvSource(nullValues = "NULL", delimiter = '#', value = {
            "true      # NONE",
            "''        # NONE",
            "NULL      # NONE",
            "not valid # value \"not valid\": must be empty or alphanumeric characters",
            "-bad      # value \"-bad\": must be empty or alphanumeric characters",
            "<v*64>    # must be no more than 63 characters"})
    void labelValueProblemNamesTheValue(String table, String expected) {
        Optional<String> problem = KubernetesNames.labelValueProblem(expand(table));

        if (expected.equals("NONE")) {
            assertThat(problem).isEmpty();
        } else {
            assertThat(problem).hasValueSatisfying(p -> assertThat(p).startsWith("value \"").contains(expected));
        }
    }

    @ParameterizedTest
    @CsvSource({"DNS1123_LABEL, Secret-Value-XYZ", "SECRET_KEY, secret value xyz", "LABEL_KEY, Secret/Value"})
    void problemMessagesDoNotRepeatTheValue(Rule rule, String value) {
        assertThat(rule.check(value)).hasValueSatisfying(p -> assertThat(p.message()).doesNotContain(value));
    }
}
