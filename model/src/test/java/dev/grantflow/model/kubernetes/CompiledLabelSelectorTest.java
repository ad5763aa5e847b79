package dev.grantflow.model.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The selector engine in tables: the object form (PodDefault selectors, as the admission webhook used them) and the
 * string form (the namespace watcher's configured selector), their matching and their error messages.
 */
class CompiledLabelSelectorTest {

    /** Object form written {@code k=v,k2=v2|expr;expr} with {@code expr = key Op v1 v2}; labels as {@code k=v,k2=v2}. */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '#', value = {
            "            # a=1      # true",
            "            #          # true",
            "a=1         # a=1      # true",
            "a=1         # a=2      # false",
            "a=1         #          # false",
            "a=1,b=2     # a=1      # false",
            "a=1,b=2     # a=1,b=2,c=3 # true",
            "|a In 1 2   # a=2      # true",
            "|a In 1 2   #          # false",
            "|a NotIn 1  #          # true",
            "|a NotIn 1  # a=1      # false",
            "|a NotIn 1  # a=2      # true",
            "|a Exists   # a=       # true",
            "|a Exists   # b=1      # false",
            "|a DoesNotExist # b=1  # true",
            "|a DoesNotExist # a=1  # false",
            "|a DoesNotExist # a=   # false",
            "a=1|b In x;c DoesNotExist # a=1,b=x   # true",
            "a=1|b In x;c DoesNotExist # a=1,b=x,c=1 # false",
            "a=         # a=        # true",
            "a=         # a=x       # false",
            "a=         #           # false"})
    void objectFormMatches(String selector, String labels, boolean expected) {
        assertThat(CompiledLabelSelector.compile(selector(selector)).matches(labels(labels, ","))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
            "|a in 1            # matchExpressions: \"in\" is not a valid label selector operator (expected In, NotIn, Exists or DoesNotExist)",
            "|a Gt 1            # matchExpressions: \"Gt\" is not a valid label selector operator",
            "|a In              # matchExpressions: key \"a\": for 'In', 'NotIn' operators, values set can't be empty",
            "|a NotIn           # values set can't be empty",
            "|a Exists x        # matchExpressions: key \"a\": values set must be empty for 'Exists' and 'DoesNotExist'",
            "|a DoesNotExist x  # values set must be empty",
            "|b@d Exists        # matchExpressions: key \"b@d\": must be a qualified name",
            "bad key=1          # matchLabels: key \"bad key\": must be a qualified name",
            "a=not valid        # matchLabels: value \"not valid\": must be empty or alphanumeric",
            "Example.com/a=1    # matchLabels: key \"Example.com/a\": prefix must be a lowercase RFC 1123 subdomain",
            "/a=1               # matchLabels: key \"/a\": prefix before '/' must not be empty",
            "|a In in%valid     # matchExpressions: key \"a\": value \"in%valid\": must be empty or alphanumeric"})
    void objectFormRejectsWithTheOffendingPart(String selector, String message) {
        assertThatThrownBy(() -> CompiledLabelSelector.compile(selector(selector)))
                .isInstanceOf(InvalidLabelSelectorException.class).hasMessageContaining(message);
    }

    @Test
    void aNullSelectorMatchesEverythingLikeAnEmptyOne() {
        // Kubeflow's PodDefault holds the selector by value: an absent selector is the empty one.
        assertThat(CompiledLabelSelector.compile(null).matchesEverything()).isTrue();
        assertThat(CompiledLabelSelector.compile(null).matches(Map.of("any", "thing"))).isTrue();
        assertThat(CompiledLabelSelector.compile(new LabelSelector()).matchesEverything()).isTrue();
        assertThat(CompiledLabelSelector.compile(selector("a=1")).matchesEverything()).isFalse();
    }

    @Test
    void nullLabelsAreNoLabels() {
        assertThat(CompiledLabelSelector.compile(selector("|a DoesNotExist")).matches(null)).isTrue();
        assertThat(CompiledLabelSelector.compile(selector("|a Exists")).matches(null)).isFalse();
    }

    /** String form; labels written {@code k=v;k2=v2}. */
    @ParameterizedTest(name = "[{0}] on [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
        "app.kubernetes.io/part-of=kubeflow-profile | app.kubernetes.io/part-of=kubeflow-profile | true",
        "app.kubernetes.io/part-of=kubeflow-profile | app.kubernetes.io/part-of=other           | false",
        "app.kubernetes.io/part-of=kubeflow-profile | team=ml                                   | false",
        "app.kubernetes.io/part-of==kubeflow-profile | app.kubernetes.io/part-of=kubeflow-profile | true",
        "app.kubernetes.io/part-of = kubeflow-profile | app.kubernetes.io/part-of=kubeflow-profile | true",
        "tier!=system                                | tier=user                                 | true",
        "tier!=system                                |                                           | true",
        "tier!=system                                | tier=system                               | false",
        "env in (prod, staging)                      | env=staging                               | true",
        "env in (prod, staging)                      | env=dev                                   | false",
        "env in (prod, staging)                      |                                           | false",
        "env notin (prod)                            | env=dev                                   | true",
        "env notin (prod)                            |                                           | true",
        "env notin (prod)                            | env=prod                                  | false",
        "managed                                     | managed=                                  | true",
        "managed                                     | other=x                                   | false",
        "!managed                                    | other=x                                   | true",
        "!managed                                    | managed=yes                               | false",
        "a=                                          | a=                                        | true",
        "a=                                          | a=x                                       | false",
        "a=1,env in (x,y),!skip                      | a=1;env=y                                 | true",
        "a=1,env in (x,y),!skip                      | a=1;env=y;skip=true                       | false",
        "''                                          | anything=goes                             | true",
        "'  '                                        | anything=goes                             | true",
    })
    void stringFormMatches(String selector, String labels, boolean expected) {
        assertThat(CompiledLabelSelector.parse(selector).matches(labels(labels, ";"))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}]: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "=value        | at '=value': key \"\": must not be empty",
            "a in ()       | at 'a in ()': 'in' needs at least one value",
            "a notin ( )   | 'notin' needs at least one value",
            "a in (b       | at 'a in (b': key \"a in (b\": must be a qualified name",
            "a b c         | at 'a b c': key \"a b c\": must be a qualified name",
            "a=b c         | at 'a=b c': value \"b c\": must be empty or alphanumeric",
            "a in (-bad)   | at 'a in (-bad)': value \"-bad\"",
            "a,,b          | at '': empty requirement",
            "a=b,          | at '': empty requirement",
            "a/b/c=x       | key \"a/b/c\": must be a qualified name",
            "Team=x        | NONE",
            "Example.com/a | key \"Example.com/a\": prefix must be a lowercase RFC 1123 subdomain",
            "!-a           | at '!-a': key \"-a\": must be a qualified name",
            "a=<v*64>      | value \"<v*64>\": must be no more than 63 characters"})
    void stringFormRejectsWithTheOffendingPart(String table, String message) {
        String selector = KubernetesNamesTest.expand(table);
        if (message.equals("NONE")) {
            assertThat(CompiledLabelSelector.parse(selector).matchesEverything()).isFalse();
            return;
        }
        assertThatThrownBy(() -> CompiledLabelSelector.parse(selector))
                .isInstanceOf(InvalidLabelSelectorException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid label selector '" + selector + "'")
                .hasMessageContaining(KubernetesNamesTest.expand(message));
    }

    /** Both forms of one selector compile to the same requirements, and toString is the string form. */
    @ParameterizedTest(name = "{0} = [{1}]")
    @CsvSource(delimiter = '#', value = {
            "a=1,b=2               # a=1,b=2",
            "|a In 2 1;b NotIn x   # a in (1,2),b notin (x)",
            "|a Exists;b DoesNotExist # a,!b",
            "a=1|c In x            # a=1,c in (x)"})
    void bothFormsAgreeAndPrintTheStringForm(String object, String string) {
        CompiledLabelSelector compiled = CompiledLabelSelector.compile(selector(object));
        CompiledLabelSelector parsed = CompiledLabelSelector.parse(string);

        assertThat(compiled).hasToString(string);
        assertThat(parsed).hasToString(string);
        for (String labels : new String[] {"", "a=1", "a=1,b=2", "a=2,b=x", "a=1,c=x", "a=1,b=1", "b=y"}) {
            assertThat(parsed.matches(labels(labels, ","))).as(labels).isEqualTo(compiled.matches(labels(labels, ",")));
        }
    }

    static LabelSelector selector(String text) {
        LabelSelectorBuilder b = new LabelSelectorBuilder();
        if (text == null) {
            return b.build();
        }
        String[] parts = text.split("\\|", -1);
        if (!parts[0].isBlank()) {
            b.withMatchLabels(labels(parts[0], ","));
        }
        if (parts.length > 1) {
            for (String expr : parts[1].split(";")) {
                String[] t = expr.trim().split(" ");
                b.addNewMatchExpression().withKey(t[0]).withOperator(t[1])
                        .withValues(Arrays.copyOfRange(t, 2, t.length)).endMatchExpression();
            }
        }
        return b.build();
    }

    static Map<String, String> labels(String text, String separator) {
        Map<String, String> out = new HashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String kv : text.split(separator)) {
            String[] p = kv.trim().split("=", -1);
            out.put(p[0], p.length > 1 ? p[1] : "");
        }
        return out;
    }
}
