package dev.grantflow.grantctl.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantPhase;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import java.util.Optional;

/**
 * When waiting for grant-service is over: at the first status of the key, published after the record was posted,
 * whose generation is at least the posted one. Its phase decides the exit code.
 *
 * <p>A selector grant ({@code &#42;/<name>}) is answered by its summary status, which grant-service republishes as its
 * tenants' copies progress: {@code Pending/TenantsPending} means "still in progress" and the wait goes on (its counts
 * are the progress); {@code Applied} (every selected tenant applied or overridden, or none selected yet), {@code
 * Revoked}, {@code Failed/TenantsFailed} and {@code Rejected} end it as for a grant to one tenant.
 */
public final class WaitPolicy {

    private WaitPolicy() {
    }

    /** The exit code if {@code status} answers the record of {@code key} with {@code generation}; empty to keep waiting. */
    public static Optional<ExitCode> answer(GrantKey key, long generation, GrantStatus status) {
        if (!concerns(key, generation, status)) {
            return Optional.empty();
        }
        if (key.isSelector() && StatusReason.TENANTS_PENDING.value().equals(status.reason())) {
            return Optional.empty();
        }
        return Optional.of(exitCode(status.phase()));
    }

    /**
     * Whether {@code status} is about the record of {@code key} with {@code generation} (its key, that generation or
     * later): what the progress of a selector grant is read from.
     */
    public static boolean concerns(GrantKey key, long generation, GrantStatus status) {
        return status != null && status.phase() != null && status.key().map(key::equals).orElse(false)
                && status.generation() >= generation;
    }

    /** Applied, Pending and Revoked are success; Rejected is 2, Failed 3. */
    public static ExitCode exitCode(GrantPhase phase) {
        return switch (phase) {
            case APPLIED, PENDING, REVOKED -> ExitCode.OK;
            case REJECTED -> ExitCode.REJECTED;
            case FAILED -> ExitCode.FAILED;
        };
    }
}
