package dev.grantflow.watcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.model.tenant.TenantEvent;
import dev.grantflow.model.tenant.TenantEventType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger and policy together: what is pending after which observations and acknowledgements. */
class TenantLedgerTest {

    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    static final Map<String, String> PROFILE = Map.of("app.kubernetes.io/part-of", "kubeflow-profile");

    final TenantLedger ledger = new TenantLedger(new TenantEventPolicy(
            CompiledLabelSelector.parse("app.kubernetes.io/part-of=kubeflow-profile"), "owner"));

    @Test
    void firstSightOfAnActiveTenantIsCreatedWithOwnerAndLabels() {
        assertThat(ledger.observe(ns("alice", PROFILE, "alice@x", "Active"))).isTrue();
        Publication p = ledger.pending("alice", NOW);
        assertThat(p).isInstanceOf(Publication.Announce.class);
        TenantEvent event = ((Publication.Announce) p).event();
        assertThat(event).isEqualTo(new TenantEvent(TenantEventType.CREATED, "alice", "alice@x", PROFILE, NOW));
    }

    @Test
    void acknowledgedStateIsNotPublishedAgainUntilItChanges() {
        ledger.observe(ns("alice", PROFILE, "alice@x", "Active"));
        ledger.acknowledged(ledger.pending("alice", NOW));
        assertThat(ledger.pending("alice", NOW)).isInstanceOf(Publication.Nothing.class);
        assertThat(ledger.observe(ns("alice", PROFILE, "alice@x", "Active"))).isFalse();

        assertThat(ledger.observe(ns("alice", PROFILE, "alice@new", "Active"))).isTrue();
        Publication update = ledger.pending("alice", NOW);
        assertThat(((Publication.Announce) update).event().type()).isEqualTo(TenantEventType.UPDATED);
    }

    @Test
    void anUnacknowledgedSendIsStillPending() {
        ledger.observe(ns("alice", PROFILE, null, "Active"));
        ledger.pending("alice", NOW);
        assertThat(ledger.pending("alice", NOW)).isInstanceOf(Publication.Announce.class);
    }

    @Test
    void publishedTenantThatLosesItsLabelOrTerminatesOrIsDeletedIsTombstoned() {
        for (String name : List.of("a", "b", "c")) {
            ledger.observe(ns(name, PROFILE, null, "Active"));
            ledger.acknowledged(ledger.pending(name, NOW));
        }
        ledger.observe(ns("a", Map.of(), null, "Active"));
        ledger.observe(ns("b", PROFILE, null, "Terminating"));
        ledger.forget("c");
        for (String name : List.of("a", "b", "c")) {
            assertThat(ledger.pending(name, NOW)).isEqualTo(new Publication.Tombstone(name));
        }
        ledger.acknowledged(new Publication.Tombstone("a"));
        assertThat(ledger.pending("a", NOW)).isInstanceOf(Publication.Nothing.class);
    }

    @Test
    void neverPublishedNamespacesThatAreNotTenantsNeedNothing() {
        ledger.observe(ns("kube-system", Map.of(), null, "Active"));
        ledger.observe(ns("pending", PROFILE, null, null));
        assertThat(ledger.pending("kube-system", NOW)).isInstanceOf(Publication.Nothing.class);
        assertThat(ledger.pending("pending", NOW)).isInstanceOf(Publication.Nothing.class);
        assertThat(ledger.tenantCount()).isZero();
    }

    @Test
    void restartAnnouncesEveryTenantAgainAndTombstonesKeysWithoutNamespace() {
        ledger.observe(ns("alice", PROFILE, null, "Active"));
        ledger.acknowledged(ledger.pending("alice", NOW));

        assertThat(ledger.restartFrom(List.of("alice", "ghost"))).containsExactlyInAnyOrder("alice", "ghost");
        Publication alice = ledger.pending("alice", NOW);
        assertThat(((Publication.Announce) alice).event().type()).isEqualTo(TenantEventType.CREATED);
        assertThat(ledger.pending("ghost", NOW)).isEqualTo(new Publication.Tombstone("ghost"));
    }

    static NamespaceView ns(String name, Map<String, String> labels, String owner, String phase) {
        return new NamespaceView(name, labels, owner == null ? Map.of() : Map.of("owner", owner), phase,
                "Terminating".equals(phase));
    }
}
