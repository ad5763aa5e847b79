package dev.grantflow.grant.domain;

import static dev.grantflow.grant.domain.GrantLedgerTest.accepted;
import static dev.grantflow.grant.domain.GrantLedgerTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.grant.domain.GrantLedger.Change;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.StatusReason;
import org.junit.jupiter.api.Test;

/** Signed revocations and refused records in the ledger. */
class GrantLedgerTrustTest {

    final GrantKey key = new GrantKey("alice", "test-secret");
    final GrantLedger ledger = new GrantLedger();

    @Test
    void aRevocationRevokesItsGenerationAndBelowAndOnlyAHigherGrantAppliesAgain() {
        ledger.put(accepted(2), at(0, 0, 100));
        assertThat(ledger.put(new GrantEntry.Revoked(key, 2), at(0, 1, 200))).isEqualTo(Change.CHANGED);
        assertThat(ledger.entry(key)).isEqualTo(new GrantEntry.Revoked(key, 2));
        // The same generation replayed, in the same partition or another, later: stale, stays revoked.
        assertThat(ledger.put(accepted(2), at(0, 2, 300))).isEqualTo(Change.STALE);
        assertThat(ledger.put(accepted(1), at(2, 0, 400))).isEqualTo(Change.STALE);
        assertThat(ledger.entry(key)).isEqualTo(new GrantEntry.Revoked(key, 2));
        assertThat(ledger.takeStale(key)).hasValue(1);
        assertThat(ledger.put(accepted(3), at(1, 0, 500))).isEqualTo(Change.CHANGED);
        assertThat(ledger.entry(key)).isInstanceOf(GrantEntry.Accepted.class);
        assertThat(ledger.entry(key).generation()).isEqualTo(3);
    }

    @Test
    void anOldRevocationReplayedNeverRevokesANewerGrant() {
        ledger.put(new GrantEntry.Revoked(key, 2), at(0, 0, 100));
        ledger.put(accepted(3), at(0, 1, 200));
        assertThat(ledger.put(new GrantEntry.Revoked(key, 2), at(1, 0, 300))).isEqualTo(Change.STALE);
        assertThat(ledger.entry(key).generation()).isEqualTo(3);
        assertThat(ledger.entry(key)).isInstanceOf(GrantEntry.Accepted.class);
    }

    @Test
    void aRefusedRecordNeverReplacesWhatTheKeyHoldsAndIsReportedOnlyWhenNothingElseIs() {
        GrantEntry.Rejected forged = new GrantEntry.Rejected(key, 99, StatusReason.SIGNATURE_MISSING, "unsigned");
        ledger.refuse(forged);
        assertThat(ledger.entry(key)).isEqualTo(forged);
        assertThat(ledger.keys()).contains(key);
        ledger.put(accepted(1), at(0, 0, 100));
        ledger.refuse(forged);
        assertThat(ledger.entry(key)).isInstanceOf(GrantEntry.Accepted.class);
        assertThat(ledger.keysOf("alice")).containsExactly(key);
    }
}
