package dev.grantflow.grantctl.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantPhase;
import dev.grantflow.model.grant.GrantStatus;
import java.util.Optional;

/**
 * When waiting for grant-service is over: at the first status of the key, published after the record was posted,
 * whose generation is at least the posted one. Its phase decides the exit code.
 */
public final class WaitPolicy {

    private WaitPolicy() {
    }

    /** The exit code if {@code status} answers the record of {@code key} with {@code generation}; empty to keep waiting. */
    public static Optional<ExitCode> answer(GrantKey key, long generation, GrantStatus status) {
        if (status == null || status.phase() == null || !status.key().map(key::equals).orElse(false)
                || status.generation() < generation) {
            return Optional.empty();
        }
        return Optional.of(exitCode(status.phase()));
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
