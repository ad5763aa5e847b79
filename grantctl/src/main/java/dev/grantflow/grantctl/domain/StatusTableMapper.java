package dev.grantflow.grantctl.domain;

import dev.grantflow.model.grant.GrantStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Grant statuses as the table of {@code grantctl status} and of the final status of {@code grant}/{@code revoke}. Pure. */
public final class StatusTableMapper {

    public static final List<String> HEADERS = List.of("TENANT", "GRANT", "PHASE", "REASON", "GENERATION", "AGE",
            "MESSAGE");

    private static final Comparator<GrantStatus> ORDER = Comparator
            .comparing((GrantStatus s) -> String.valueOf(s.tenant()))
            .thenComparing(s -> String.valueOf(s.grant()));

    private StatusTableMapper() {
    }

    /** The rows sorted by tenant and grant. */
    public static TextTable table(Collection<GrantStatus> statuses, Instant now) {
        TextTable table = new TextTable(HEADERS);
        statuses.stream().sorted(ORDER).forEach(s -> table.add(row(s, now)));
        return table;
    }

    public static List<String> row(GrantStatus s, Instant now) {
        return List.of(String.valueOf(s.tenant()), String.valueOf(s.grant()),
                s.phase() == null ? "-" : s.phase().value(), s.reason() == null ? "-" : s.reason(),
                Long.toString(s.generation()), s.at() == null ? "-" : DurationSyntax.age(Duration.between(s.at(), now)),
                s.message() == null ? "" : s.message());
    }
}
