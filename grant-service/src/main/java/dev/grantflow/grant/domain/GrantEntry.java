package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.StatusReason;

/** What the grants topic holds for a key, as read: a grant to apply, or one rejected before anything is applied. */
public sealed interface GrantEntry {

    GrantKey key();

    long generation();

    /** A parsed and valid grant. */
    record Accepted(GrantKey key, Grant grant) implements GrantEntry {
        @Override
        public long generation() {
            return grant.generation();
        }
    }

    /**
     * A signed revocation ({@code GrantRevocation}): every generation of the grant up to and including
     * {@code generation} is revoked; only a grant of a higher generation applies again.
     */
    record Revoked(GrantKey key, long generation) implements GrantEntry {
    }

    /**
     * A record that will never be applied: unparseable, invalid, or with a key that does not match its content. The
     * message names fields and problems, never values.
     */
    record Rejected(GrantKey key, long generation, StatusReason reason, String message) implements GrantEntry {
    }
}
