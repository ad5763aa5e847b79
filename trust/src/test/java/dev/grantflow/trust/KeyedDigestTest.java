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
    void refusesShortKeys() {
        assertThatThrownBy(() -> new KeyedDigest(new byte[16])).hasMessageContaining("at least 32 bytes");
    }
}
