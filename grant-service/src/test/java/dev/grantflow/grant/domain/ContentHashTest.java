package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentHashTest {

    @Test
    void absentAndEmptyAreTheSameAndKeyOrderDoesNotMatter() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", "Opaque");
        a.put("data", Map.of("x", "1", "y", "2"));
        a.put("items", List.of());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("data", new java.util.TreeMap<>(Map.of("y", "2", "x", "1")));
        b.put("type", "Opaque");
        b.put("extra", null);
        assertThat(TrustFixtures.HASH.of(a)).isEqualTo(TrustFixtures.HASH.of(b)).startsWith("hmac-sha256:").hasSize(76);
    }

    @Test
    void anyValueChangeChangesTheHash() {
        assertThat(TrustFixtures.HASH.of(Map.of("data", Map.of("x", "1"))))
                .isNotEqualTo(TrustFixtures.HASH.of(Map.of("data", Map.of("x", "2"))));
    }

    @Test
    void theHashIsKeyed() {
        Map<String, Object> content = Map.of("data", Map.of("pin", "MTIzNA=="));
        assertThat(new ContentHash(new dev.grantflow.trust.KeyedDigest(TrustFixtures.key(8))).of(content))
                .isNotEqualTo(TrustFixtures.HASH.of(content));
    }
}
