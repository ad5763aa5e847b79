package dev.grantflow.grantctl.domain;

/** The exit codes of grantctl (README "Exit codes", {@code grantctl --help}). */
public enum ExitCode {
    /** Success: Applied, Pending or Revoked; or produced with --no-wait; or a command without Kafka done. */
    OK(0),
    /** Usage or input error: bad flags, a grant that fails validation, unreadable key files. Nothing was produced. */
    USAGE(1),
    /** grant-service rejected the grant or revocation (phase Rejected). */
    REJECTED(2),
    /** grant-service reports a failure (phase Failed). */
    FAILED(3),
    /** No status for the posted generation arrived within --timeout. */
    TIMEOUT(4),
    /** Kafka unreachable, a topic missing, or the produce failed. */
    KAFKA(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The text of {@code --help}'s exit code section. */
    public static final String HELP = """
            Exit codes:
              0  success (Applied, Pending, Revoked; produced with --no-wait)
              1  usage or input error (bad flags, validation failed, unreadable key files)
              2  Rejected by grant-service
              3  Failed (grant-service reports a failure)
              4  timed out waiting for the status
              5  Kafka unreachable or produce failed""";
}
