package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.StatusReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantBookTest {

    final GrantBook book = new GrantBook();
    final Grant seed = Fixtures.read("grant/v1-secret-ref.json", Grant.class);
    final GrantKey key = seed.grantKey();

    @Test
    void olderGenerationsAreStaleEqualOnesReplace() {
        assertThat(book.put(new GrantEntry.Rejected(key, 5, StatusReason.INVALID_GRANT, "bad"), 0))
                .isEqualTo(GrantBook.PutResult.STORED);
        assertThat(book.put(new GrantEntry.Accepted(key, seed), 0)).isEqualTo(GrantBook.PutResult.STALE);
        assertThat(book.entry(key)).isInstanceOf(GrantEntry.Rejected.class);
        assertThat(book.put(new GrantEntry.Rejected(key, 5, StatusReason.INVALID_GRANT, "again"), 0))
                .isEqualTo(GrantBook.PutResult.STORED);
        assertThat(((GrantEntry.Rejected) book.entry(key)).message()).isEqualTo("again");
    }

    @Test
    void revokeForgetsTheGrantAndRemembersTheTombstoneUntilAGrantReturns() {
        book.put(new GrantEntry.Accepted(key, seed), 1);
        book.revoke(key, 1);
        assertThat(book.entry(key)).isNull();
        assertThat(book.tombstoned(key)).isTrue();
        assertThat(book.keys()).containsExactly(key);
        book.put(new GrantEntry.Accepted(key, seed), 1);
        assertThat(book.tombstoned(key)).isFalse();
    }

    @Test
    void revokedPartitionsAreHandedOver() {
        GrantKey other = new GrantKey("bob", "x");
        book.put(new GrantEntry.Accepted(key, seed), 0);
        book.revoke(other, 2);
        assertThat(book.dropPartitions(List.of(0, 2))).containsExactlyInAnyOrder(key, other);
        assertThat(book.keys()).isEmpty();
    }

    @Test
    void tenantsAndSourcesFindTheirGrants() {
        book.put(new GrantEntry.Accepted(key, seed), 0);
        assertThat(book.tenantExists("alice")).isFalse();
        assertThat(book.tenant("alice", true)).containsExactly(key);
        assertThat(book.tenantExists("alice")).isTrue();
        assertThat(book.tenant("alice", false)).containsExactly(key);
        assertThat(book.tenantExists("alice")).isFalse();
        assertThat(book.keysUsingSource("test-secret")).containsExactly(key);
        assertThat(book.keysUsingSource("other")).isEmpty();
    }
}
