package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.domain.DurationSyntax;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import java.time.Duration;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/** The options of the commands that post a record and wait for its status: {@code grant} and {@code revoke}. */
public class PostOptions {

    @Option(names = "--generation", paramLabel = "N", description = "Post this generation instead of highest seen + 1.")
    Long generation;

    @Option(names = "--no-wait", description = "Do not wait for the status: exit 0 once Kafka acknowledged the record.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for the status (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table",
            description = "Output format of the result (default ${DEFAULT-VALUE}).")
    OutputFormat output;

    /** The generation asked for, checked; empty for "highest seen + 1". */
    OptionalLong generation() {
        if (generation != null && generation < 1) {
            throw GrantctlFailure.usage("--generation must be at least 1");
        }
        return generation == null ? OptionalLong.empty() : OptionalLong.of(generation);
    }

    /** The generation to validate a record with before Kafka is read: the one asked for, else 1. */
    long generationAtLeast() {
        return generation == null ? 1 : generation;
    }

    Duration timeout() {
        return DurationSyntax.parse("--timeout", timeout);
    }
}
