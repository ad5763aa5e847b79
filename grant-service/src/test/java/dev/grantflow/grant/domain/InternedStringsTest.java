package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InternedStringsTest {

    static final byte[] GRANT = Fixtures.bytes("grant/v1-secret-ref.json");

    @Test
    void twoParsesOfOneGrantShareTheirStringsAndStayEqual() {
        Grant first = Json.read(GRANT, Grant.class);
        Grant second = Json.read(GRANT, Grant.class);
        assertThat(first.metadata().tenant()).isNotSameAs(second.metadata().tenant());

        Grant a = InternedStrings.of(first);
        Grant b = InternedStrings.of(second);

        assertThat(a).isEqualTo(first).isEqualTo(b);
        assertThat(a.metadata().tenant()).isSameAs(b.metadata().tenant());
        assertThat(a.apiVersion()).isSameAs(b.apiVersion());
        assertThat(a.spec().secret().name()).isSameAs(b.spec().secret().name());
        assertThat(a.spec().podDefault().mountPath()).isSameAs(b.spec().podDefault().mountPath());
    }

    @Test
    void aKeyAndAStatusShareTheTenantWithTheGrant() {
        Grant grant = InternedStrings.of(Json.read(GRANT, Grant.class));
        GrantKey key = InternedStrings.of(GrantKey.parse(new String(grant.key())).orElseThrow());
        GrantStatus status = InternedStrings.of(Json.read(Json.write(GrantStatus.of(key, 1, StatusReason.APPLIED,
                "applied", Instant.parse("2026-12-01T10:00:00Z"))), GrantStatus.class));

        assertThat(key.tenant()).isSameAs(grant.metadata().tenant());
        assertThat(status.tenant()).isSameAs(key.tenant());
        assertThat(status.grant()).isSameAs(key.name());
        assertThat(status.at()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void listsAndMapsAreRebuiltWithEqualContentAndLongStringsAreLeftAlone() {
        String longText = "x".repeat(InternedStrings.MAX_LENGTH + 1);
        record Holder(List<String> list, Map<String, String> map, String text, long number) {
        }
        Holder holder = new Holder(new ArrayList<>(List.of(new String("a"), "b")),
                new LinkedHashMap<>(Map.of(new String("k"), longText)), new String(longText), 7);

        Holder interned = InternedStrings.of(holder);

        assertThat(interned).isEqualTo(holder);
        assertThat(interned.list().get(0)).isSameAs("a");
        assertThat(interned.map().keySet().iterator().next()).isSameAs("k");
        assertThat(interned.text()).isSameAs(holder.text());
    }

    @Test
    void nullAndOtherValuesAreKept() {
        Instant now = Instant.now();
        List<String> immutable = List.of("a");
        assertThat((Object) InternedStrings.of(null)).isNull();
        assertThat(InternedStrings.of(now)).isSameAs(now);
        assertThat(InternedStrings.of(immutable)).isSameAs(immutable);
    }
}
