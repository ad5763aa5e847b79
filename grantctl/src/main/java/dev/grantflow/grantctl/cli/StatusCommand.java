package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.config.Setting;
import dev.grantflow.grantctl.config.Settings;
import dev.grantflow.grantctl.domain.DurationSyntax;
import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.StatusFilter;
import dev.grantflow.grantctl.domain.StatusTableMapper;
import dev.grantflow.grantctl.domain.TextTable;
import dev.grantflow.grantctl.kafka.KafkaClients;
import dev.grantflow.grantctl.kafka.StatusRecords;
import dev.grantflow.grantctl.kafka.TopicTail;
import dev.grantflow.model.control.Deadline;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import dev.grantflow.grantctl.kafka.TopicRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code grantctl status}: the latest status per grant, from the compacted status topic; {@code --watch} follows it. */
@Command(name = "status", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, sortOptions = false,
        description = {"Shows the latest status of each grant (grantflow.grant-status.v1), optionally of one tenant or "
                + "grant; --watch keeps following and prints each change.",
            "A selector grant (made with --tenant-selector) is one row, tenant '*', with its counts over the tenants "
                    + "it selects (TENANTS); --per-tenant adds a row per tenant for its copy there (grant '*<name>'), "
                    + "as does --tenant."},
        footerHeading = "%nExamples:%n",
        footer = {"  grantctl status", "  grantctl status --tenant alice -o json",
            "  grantctl status --tenant alice --grant test-secret --watch",
            "  grantctl status --grant team-ml-token --per-tenant"})
public class StatusCommand extends Subcommand {

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant.")
    String tenant;

    @Option(names = "--grant", paramLabel = "GRANT", description = "Only this grant name.")
    String grant;

    @Option(names = "--per-tenant",
            description = "Also show each selector grant's copy in each tenant it selects, one row per (grant, tenant).")
    boolean perTenant;

    @Option(names = "--watch", description = "Keep following the topic and print every change (Ctrl-C to stop).")
    boolean watch;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "With --watch: stop after this long (default: never).")
    String timeout;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table",
            description = "table (default) or json (one GrantStatus per line; a selector grant's with its tenants counts).")
    OutputFormat output;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ConfigOptions config;

    @Override
    protected ExitCode run() {
        Map<Setting, String> flags = flags();
        kafka.contribute(flags);
        Settings settings = settings(config, flags, kafka.kafkaFlags());
        Deadline until = timeout == null ? null : Deadline.after(DurationSyntax.parse("--timeout", timeout));
        KafkaClients clients = new KafkaClients(settings);
        try (TopicTail tail = TopicTail.open(clients, settings.statusTopic())) {
            Map<GrantKey, GrantStatus> latest = new HashMap<>();
            tail.readToEnd(record -> {
                GrantStatus s = selected(record);
                if (s != null) {
                    latest.put(s.key().get(), s);
                }
            });
            if (output == OutputFormat.json) {
                latest.values().stream().sorted(java.util.Comparator.comparing((GrantStatus s) -> s.tenant())
                        .thenComparing(GrantStatus::grant)).forEach(s -> out().println(Json.write(s)));
            } else if (!latest.isEmpty() || watch) {
                out().print(StatusTableMapper.table(latest.values(), root().clock().instant()).render());
            } else {
                err().println("no grant status" + (tenant == null ? "" : " for tenant " + tenant)
                        + (grant == null ? "" : " and grant " + grant) + " on " + settings.statusTopic());
            }
            out().flush();
            while (watch && (until == null || !until.passed())) {
                for (TopicRecord record : tail.poll()) {
                    GrantStatus s = selected(record);
                    if (s == null || Objects.equals(latest.get(s.key().get()), s)) {
                        continue;
                    }
                    latest.put(s.key().get(), s);
                    if (output == OutputFormat.json) {
                        out().println(Json.write(s));
                    } else {
                        String line = new TextTable(StatusTableMapper.HEADERS)
                                .add(StatusTableMapper.row(s, root().clock().instant())).render();
                        out().print(line.substring(line.indexOf('\n') + 1));
                    }
                    out().flush();
                }
            }
        }
        return ExitCode.OK;
    }

    private GrantStatus selected(TopicRecord record) {
        GrantStatus s = StatusRecords.status(record);
        return new StatusFilter(tenant, grant, perTenant).shown(s).isPresent() ? s : null;
    }
}
