package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** D5: the patch applied to the source always gives the target, whatever changed. */
class JsonPatchMapperTest {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    @Test
    void escapesKeysPerRfc6901() throws Exception {
        JsonNode from = Fixtures.JSON.readTree("{\"metadata\":{\"annotations\":{\"a/b\":\"1\"}}}");
        JsonNode to = Fixtures.JSON.readTree("{\"metadata\":{\"annotations\":{\"a/b\":\"2\",\"x~y/z\":\"3\"}}}");
        List<PatchOperation> ops = JsonPatchMapper.diff(from, to);
        assertThat(ops).extracting(PatchOperation::path).containsExactly("/metadata/annotations/a~1b", "/metadata/annotations/x~0y~1z");
        assertThat(JsonPatch.apply(JsonPatchMapper.toJson(ops), from)).isEqualTo(to);
    }

    @Test
    void noChangeNoOperation() throws Exception {
        JsonNode pod = Fixtures.JSON.readTree("{\"spec\":{\"containers\":[{\"name\":\"a\"}]}}");
        assertThat(JsonPatchMapper.diff(pod, pod.deepCopy())).isEmpty();
    }

    /** Random trees, randomly changed (members added/removed/replaced, arrays grown, shrunk, edited in place). */
    @RepeatedTest(300)
    void randomChangesRoundTrip(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        JsonNode from = tree(random, 4);
        JsonNode to = from.deepCopy();
        for (int i = 0; i < 1 + random.nextInt(6); i++) {
            mutate(random, to, 0);
        }
        if (!to.isObject()) {
            return;
        }
        ArrayNode patch = JsonPatchMapper.toJson(JsonPatchMapper.diff(from, to));
        assertThat(JsonPatch.apply(patch, from)).as(patch.toString()).isEqualTo(to);
    }

    private static JsonNode tree(Random r, int depth) {
        ObjectNode o = N.objectNode();
        for (int i = 0; i < 1 + r.nextInt(4); i++) {
            o.set(key(r), value(r, depth - 1));
        }
        return o;
    }

    private static JsonNode value(Random r, int depth) {
        int kind = depth <= 0 ? r.nextInt(3) : r.nextInt(5);
        return switch (kind) {
            case 0 -> N.textNode("v" + r.nextInt(5));
            case 1 -> N.numberNode(r.nextInt(1000));
            case 2 -> N.booleanNode(r.nextBoolean());
            case 3 -> tree(r, depth);
            default -> {
                ArrayNode a = N.arrayNode();
                for (int i = 0; i < r.nextInt(4); i++) {
                    a.add(value(r, depth - 1));
                }
                yield a;
            }
        };
    }

    private static String key(Random r) {
        String[] keys = {"a", "b", "c/d", "e~f", "", "spec", "0"};
        return keys[r.nextInt(keys.length)];
    }

    private static void mutate(Random r, JsonNode node, int depth) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            int choice = r.nextInt(4);
            if (choice == 0 || names.isEmpty()) {
                o.set(key(r), value(r, 2));
            } else if (choice == 1) {
                o.remove(names.get(r.nextInt(names.size())));
            } else {
                JsonNode child = o.get(names.get(r.nextInt(names.size())));
                if (child.isContainerNode() && depth < 5) {
                    mutate(r, child, depth + 1);
                } else {
                    o.set(names.get(r.nextInt(names.size())), value(r, 1));
                }
            }
        } else if (node instanceof ArrayNode a) {
            int choice = r.nextInt(4);
            if (choice == 0 || a.isEmpty()) {
                a.add(value(r, 1));
            } else if (choice == 1) {
                a.remove(r.nextInt(a.size()));
            } else {
                int i = r.nextInt(a.size());
                if (a.get(i).isContainerNode() && depth < 5) {
                    mutate(r, a.get(i), depth + 1);
                } else {
                    a.set(i, value(r, 1));
                }
            }
        }
    }
}
