package dev.grantflow.grantctl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.grantctl.config.Setting;
import dev.grantflow.grantctl.config.Settings;
import dev.grantflow.grantctl.domain.AuditPolicy;
import dev.grantflow.grantctl.domain.AuditVerdict;
import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.TextTable;
import dev.grantflow.grantctl.kafka.KafkaClients;
import dev.grantflow.grantctl.kafka.StatusRecords;
import dev.grantflow.grantctl.kafka.TopicTail;
import dev.grantflow.grantctl.keys.KeyMaterial;
import dev.grantflow.model.grant.GrantAuditEntry;
import dev.grantflow.model.json.Json;
import dev.grantflow.trust.Signatures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code grantctl audit}: grant-service's decisions, each signature re-verified against the administrators' keys. */
@Command(name = "audit", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, sortOptions = false,
        description = {"Prints the audit history (grantflow.audit.v1): one line per grants record grant-service "
                + "decided about, and whether the record's signature re-verifies against the administrators' public "
                + "keys: yes, NO (tampered, unknown or out-of-scope signer), - (no signature or no recorded value), "
                + "? (not checked: no --admin-jwks)."},
        footerHeading = "%nExamples:%n",
        footer = {"  grantctl audit --tenant alice --admin-jwks admin-keys.jwks",
            "  grantctl audit --tenant alice --grant test-secret -o json"})
public class AuditCommand extends Subcommand {

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant.")
    String tenant;

    @Option(names = "--grant", paramLabel = "GRANT", description = "Only this grant name.")
    String grant;

    @Option(names = "--admin-jwks", paramLabel = "FILE",
            description = "Administrators' public JWKS to re-verify signatures with (repeatable; GRANTCTL_ADMIN_JWKS, comma-separated).")
    List<Path> adminJwks = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table",
            description = "table (default) or json (one entry per line, with \"verified\").")
    OutputFormat output;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ConfigOptions config;

    @Override
    protected ExitCode run() {
        Map<Setting, String> flags = flags();
        kafka.contribute(flags);
        if (!adminJwks.isEmpty()) {
            flags.put(Setting.ADMIN_JWKS, String.join(",", adminJwks.stream().map(Path::toString).toList()));
        }
        Settings settings = settings(config, flags, kafka.kafkaFlags());
        Signatures verifier = settings.adminJwks().isEmpty() ? null
                : new Signatures(KeyMaterial.adminKeys(settings.adminJwks()).values());
        List<GrantAuditEntry> entries = new ArrayList<>();
        try (TopicTail tail = TopicTail.open(new KafkaClients(settings), settings.auditTopic())) {
            tail.readToEnd(record -> {
                GrantAuditEntry entry = StatusRecords.auditEntry(record);
                if (entry != null && AuditPolicy.matches(entry, tenant, grant)) {
                    entries.add(entry);
                }
            });
        }
        List<AuditPolicy.Checked> checked = AuditPolicy.history(entries).stream()
                .map(e -> AuditPolicy.check(e, verifier)).toList();
        if (verifier == null) {
            err().println("note: no --admin-jwks given: signatures are not re-verified (shown as ?)");
        }
        if (output == OutputFormat.json) {
            for (AuditPolicy.Checked c : checked) {
                ObjectNode node = (ObjectNode) Json.toTree(c.entry());
                node.put("verified", c.verdict().text());
                if (c.detail() != null) {
                    node.put("verification", c.detail());
                }
                out().println(node.toString());
            }
        } else if (checked.isEmpty()) {
            err().println("no audit entries" + (tenant == null ? "" : " for tenant " + tenant)
                    + (grant == null ? "" : " and grant " + grant) + " on " + settings.auditTopic());
        } else {
            TextTable table = new TextTable(AuditPolicy.HEADERS);
            checked.forEach(c -> table.add(AuditPolicy.row(c)));
            out().print(table.render());
            long refused = checked.stream().filter(c -> c.verdict() == AuditVerdict.NO).count();
            if (refused > 0) {
                err().println("warning: " + refused + " signature(s) do NOT verify:");
                checked.stream().filter(c -> c.verdict() == AuditVerdict.NO).forEach(c -> err().println("  "
                        + c.entry().key() + " partition " + c.entry().partition() + " offset " + c.entry().offset()
                        + ": " + c.detail()));
            }
        }
        return ExitCode.OK;
    }
}
