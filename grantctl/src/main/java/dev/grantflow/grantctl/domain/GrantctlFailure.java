package dev.grantflow.grantctl.domain;

import java.util.Objects;

/**
 * A failure a command reports as {@code grantctl: <message>} on stderr with its exit code. Messages say what to fix
 * and never quote a secret value (names, keys, paths and key ids only).
 */
public final class GrantctlFailure extends RuntimeException {

    private final ExitCode exitCode;

    public GrantctlFailure(ExitCode exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
    }

    public static GrantctlFailure usage(String message) {
        return new GrantctlFailure(ExitCode.USAGE, message);
    }

    public static GrantctlFailure kafka(String message) {
        return new GrantctlFailure(ExitCode.KAFKA, message);
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
