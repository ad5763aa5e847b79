package dev.grantflow.admission.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InitialSyncTest {

    private final InitialSync sync = new InitialSync();

    @Test
    void notCompleteBeforeTheStoreSynced() {
        sync.handled("a/x");
        assertThat(sync.isComplete()).isFalse();
        assertThat(sync.remaining()).isEqualTo(-1);
    }

    @Test
    void completeOnlyWhenEveryListedKeyWasHandled() {
        sync.storeSynced(List.of("a/x", "a/y", "b/z"));
        assertThat(sync.remaining()).isEqualTo(3);
        sync.handled("a/x");
        sync.handled("b/z");
        assertThat(sync.isComplete()).isFalse();
        sync.handled("a/y");
        assertThat(sync.isComplete()).isTrue();
        assertThat(sync.remaining()).isZero();
    }

    @Test
    void keysHandledBeforeTheStoreReportedSyncCount() {
        sync.handled("a/x");
        sync.storeSynced(List.of("a/x", "a/y"));
        assertThat(sync.isComplete()).isFalse();
        sync.handled("a/y");
        assertThat(sync.isComplete()).isTrue();
    }

    @Test
    void emptyListIsCompleteAtOnce() {
        sync.storeSynced(List.of());
        assertThat(sync.isComplete()).isTrue();
    }

    @Test
    void everythingAlreadyHandled() {
        sync.handled("a/x");
        sync.storeSynced(List.of("a/x"));
        assertThat(sync.isComplete()).isTrue();
    }
}
