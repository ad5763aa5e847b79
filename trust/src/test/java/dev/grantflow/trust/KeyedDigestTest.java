package dev.grantflow.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyedDigestTest {

    static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void theSameContentUnderTheSameKeyDigestsTheSameAndAnotherKeyDiffers() {
        byte[] content = "1234".getBytes(StandardCharsets.UTF_8);
        assertThat(new KeyedDigest(key(1)).of(content)).isEqualTo(new KeyedDigest(key(1)).of(content))
                .startsWith("hmac-sha256:").hasSize("hmac-sha256:".length() + 64)
                .isNotEqualTo(new KeyedDigest(key(2)).of(content));
    }

    @Test
    void theRawMacIsTheDigestsBytes() {
        byte[] content = "1234".getBytes(StandardCharsets.UTF_8);
        KeyedDigest digest = new KeyedDigest(key(1));
        assertThat(digest.mac(content)).hasSize(32);
        assertThat("hmac-sha256:" + java.util.HexFormat.of().formatHex(digest.mac(content))).isEqualTo(digest.of(content));
    }

    @Test
    void digestsFromManyThreadsAtOnceAreThoseOfOneThread() {
        KeyedDigest digest = new KeyedDigest(key(5));
        java.util.List<String> sequential = java.util.stream.IntStream.range(0, 2000)
                .mapToObj(i -> digest.of(("content-" + i).getBytes(StandardCharsets.UTF_8))).toList();
        java.util.List<String> parallel = java.util.stream.IntStream.range(0, 2000).parallel()
                .mapToObj(i -> digest.of(("content-" + i).getBytes(StandardCharsets.UTF_8))).toList();
        assertThat(parallel).isEqualTo(sequential).doesNotHaveDuplicates();
    }

    @Test
    void theMacOfFieldsIsTheMacOfTheirLengthPrefixedConcatenation() {
        KeyedDigest digest = new KeyedDigest(key(3));
        byte[][][] lists = {{}, {new byte[0]}, {"a".getBytes(StandardCharsets.UTF_8), new byte[0], new byte[300]},
                {"ab".getBytes(StandardCharsets.UTF_8), "c".getBytes(StandardCharsets.UTF_8)},
                {"a".getBytes(StandardCharsets.UTF_8), "bc".getBytes(StandardCharsets.UTF_8)}};
        java.util.Set<String> tags = new java.util.HashSet<>();
        for (byte[][] fields : lists) {
            java.io.ByteArrayOutputStream input = new java.io.ByteArrayOutputStream();
            for (byte[] field : fields) {
                input.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(field.length).array());
                input.writeBytes(field);
            }
            assertThat(digest.macOfFields(fields)).isEqualTo(digest.mac(input.toByteArray()));
            tags.add(java.util.HexFormat.of().formatHex(digest.macOfFields(fields)));
        }
        assertThat(tags).as("no two lists of fields share a tag").hasSize(lists.length);
    }

    @Test
    void aNullFieldFailsAndLeavesTheThreadsMacClean() {
        KeyedDigest digest = new KeyedDigest(key(4));
        byte[] content = "1234".getBytes(StandardCharsets.UTF_8);
        byte[] expected = digest.mac(content);
        assertThatThrownBy(() -> digest.macOfFields(new byte[] {1, 2}, null)).isInstanceOf(NullPointerException.class);
        assertThat(digest.mac(content)).isEqualTo(expected);
    }

    @Test
    void refusesShortKeys() {
        assertThatThrownBy(() -> new KeyedDigest(new byte[16])).hasMessageContaining("at least 32 bytes");
    }
}
