package dev.grantflow.watcher.domain;

import dev.grantflow.model.tenant.TenantEvent;

/** What to publish for one tenant key, decided by {@link TenantEventPolicy}. */
public sealed interface Publication {

    String tenant();

    /** A {@code created} or {@code updated} event carrying the tenant's current state. */
    record Announce(TenantEvent event, TenantState state) implements Publication {
        @Override
        public String tenant() {
            return event.tenant();
        }
    }

    /** The tenant is gone (deleted, terminating, or no longer selected): a tombstone for its key. */
    record Tombstone(String tenant) implements Publication {
    }

    /** What the topic holds is already right. */
    record Nothing(String tenant) implements Publication {
    }
}
