package dev.grantflow.watcher.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamespaceSelectorTest {

    /** Labels are written {@code k=v;k2=v2}. */
    @ParameterizedTest(name = "[{0}] on [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
        "app.kubernetes.io/part-of=kubeflow-profile | app.kubernetes.io/part-of=kubeflow-profile | true",
        "app.kubernetes.io/part-of=kubeflow-profile | app.kubernetes.io/part-of=other           | false",
        "app.kubernetes.io/part-of=kubeflow-profile | team=ml                                   | false",
        "app.kubernetes.io/part-of==kubeflow-profile | app.kubernetes.io/part-of=kubeflow-profile | true",
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
        "a=1,env in (x,y),!skip                      | a=1;env=y                                 | true",
        "a=1,env in (x,y),!skip                      | a=1;env=y;skip=true                       | false",
        "''                                          | anything=goes                             | true",
    })
    void matches(String selector, String labels, boolean expected) {
        assertThat(NamespaceSelector.parse(selector).matches(labels(labels))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"=value", "a in ()", "a in (b", "a b c", "a=b c", "a in (-bad)", "a,,b", "a=b,"})
    void rejectsInvalidSyntaxWithTheOffendingPart(String selector) {
        assertThatThrownBy(() -> NamespaceSelector.parse(selector))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid label selector");
    }

    private static Map<String, String> labels(String spec) {
        Map<String, String> labels = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return labels;
        }
        for (String pair : spec.split(";")) {
            String[] kv = pair.split("=", -1);
            labels.put(kv[0], kv[1]);
        }
        return labels;
    }
}
