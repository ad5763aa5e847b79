package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompiledSelectorTest {

    /** selector as "k=v,k2=v2|expr;expr" with expr = key op v1 v2; labels as "k=v,k2=v2". */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '#', value = {
            "            # a=1      # true",
            "a=1         # a=1      # true",
            "a=1         # a=2      # false",
            "a=1         #          # false",
            "a=1,b=2     # a=1      # false",
            "|a In 1 2   # a=2      # true",
            "|a In 1 2   #          # false",
            "|a NotIn 1  #          # true",
            "|a NotIn 1  # a=1      # false",
            "|a Exists   # a=       # true",
            "|a Exists   # b=1      # false",
            "|a DoesNotExist # b=1  # true",
            "|a DoesNotExist # a=1  # false",
            "a=1|b In x;c DoesNotExist # a=1,b=x   # true",
            "a=1|b In x;c DoesNotExist # a=1,b=x,c=1 # false",
            "a=         # a=        # true"})
    void matches(String selector, String labels, boolean expected) throws InvalidSelectorException {
        assertThat(CompiledSelector.compile(selector(selector)).matches(labels(labels))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
            "|a in 1            # not a valid label selector operator",
            "|a Gt 1            # not a valid label selector operator",
            "|a In              # values set can't be empty",
            "|a NotIn           # values set can't be empty",
            "|a Exists x        # values set must be empty",
            "|a DoesNotExist x  # values set must be empty",
            "bad key=1          # must be a qualified name",
            "a=not valid        # must be empty or alphanumeric",
            "Example.com/a=1    # prefix must be a lowercase RFC 1123 subdomain",
            "/a=1               # prefix before '/' must not be empty",
            "|a In in%valid     # must be empty or alphanumeric"})
    void invalid(String selector, String message) {
        assertThatThrownBy(() -> CompiledSelector.compile(selector(selector)))
                .isInstanceOf(InvalidSelectorException.class).hasMessageContaining(message);
    }

    static LabelSelector selector(String text) {
        LabelSelectorBuilder b = new LabelSelectorBuilder();
        if (text == null) {
            return b.build();
        }
        String[] parts = text.split("\\|", -1);
        if (!parts[0].isBlank()) {
            b.withMatchLabels(labels(parts[0]));
        }
        if (parts.length > 1) {
            for (String expr : parts[1].split(";")) {
                String[] t = expr.trim().split(" ");
                b.addNewMatchExpression().withKey(t[0]).withOperator(t[1])
                        .withValues(java.util.Arrays.copyOfRange(t, 2, t.length)).endMatchExpression();
            }
        }
        return b.build();
    }

    static Map<String, String> labels(String text) {
        Map<String, String> out = new java.util.HashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String kv : text.split(",")) {
            String[] p = kv.trim().split("=", -1);
            out.put(p[0], p.length > 1 ? p[1] : "");
        }
        return out;
    }
}
