package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.domain.DurationSyntax;
import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.GenerationPolicy;
import dev.grantflow.grantctl.domain.SelectorSummaryMapper;
import dev.grantflow.grantctl.domain.StatusTableMapper;
import dev.grantflow.grantctl.domain.WaitPolicy;
import dev.grantflow.grantctl.kafka.KafkaClients;
import dev.grantflow.grantctl.kafka.RecordPublisher;
import dev.grantflow.grantctl.kafka.StatusRecords;
import dev.grantflow.grantctl.kafka.TopicTail;
import dev.grantflow.model.control.Deadline;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.json.Json;
import dev.grantflow.trust.Signatures;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import dev.grantflow.grantctl.kafka.TopicRecord;
import dev.grantflow.grantctl.kafka.Posted;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * Posting a signed record to the grants topic and waiting for grant-service's answer, shared by {@code grant} and
 * {@code revoke}: the generation (one more than any record of the key on the grants and status topics), the exact
 * value bytes signed and produced, then the status topic followed from where it ended before the post.
 */
final class PostAndWait {

    /** What to post; {@code value} builds the record value for a generation. */
    record Post(GrantKey key, OptionalLong generation, LongFunction<byte[]> value, PublicJsonWebKey signingKey,
            String ceType, boolean noWait, Duration timeout, OutputFormat output) {
    }

    private PostAndWait() {
    }

    static ExitCode run(KafkaClients clients, Post post, PrintWriter out, PrintWriter err, Clock clock) {
        String key = post.key().format();
        try (TopicTail status = TopicTail.open(clients, clients.settings().statusTopic())) {
            GenerationPolicy generations = new GenerationPolicy();
            status.readToEnd(record -> {
                if (key.equals(record.keyText())) {
                    GrantStatus s = StatusRecords.status(record);
                    if (s != null) {
                        generations.see(s.generation());
                    }
                }
            });
            try (TopicTail grants = TopicTail.open(clients, clients.settings().grantsTopic())) {
                grants.readToEnd(record -> {
                    if (key.equals(record.keyText())) {
                        generations.seeGrantsValue(record.value());
                    }
                });
            }
            long generation = post.generation().isPresent() ? post.generation().getAsLong() : generations.next();
            if (post.generation().isPresent() && generation <= generations.highest()) {
                err.println("grantctl: warning: --generation " + generation + " is not above the highest generation "
                        + "seen for " + key + " (" + generations.highest() + "); grant-service may reject it as stale");
            }
            byte[] value = post.value().apply(generation);
            String signature = Signatures.sign(post.signingKey(), value);
            Posted posted = new RecordPublisher(clients).publish(clients.settings().grantsTopic(), key, value,
                    signature, post.ceType());
            String where = clients.settings().grantsTopic() + " (partition " + posted.partition() + ", offset "
                    + posted.offset() + ")";
            if (post.noWait()) {
                if (post.output() == OutputFormat.json) {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("key", key);
                    result.put("generation", generation);
                    result.put("signer", post.signingKey().getKeyId());
                    result.put("topic", posted.topic());
                    result.put("partition", posted.partition());
                    result.put("offset", posted.offset());
                    out.println(Json.write(result));
                } else {
                    out.println("posted " + key + " generation " + generation + " to " + where + ", signed by '"
                            + post.signingKey().getKeyId() + "'");
                }
                return ExitCode.OK;
            }
            err.println("posted " + key + " generation " + generation + " to " + where + ", signed by '"
                    + post.signingKey().getKeyId() + "'");
            err.flush();
            return await(status, post, generation, out, err, clock);
        }
    }

    private static ExitCode await(TopicTail status, Post post, long generation, PrintWriter out, PrintWriter err,
            Clock clock) {
        String key = post.key().format();
        long started = System.nanoTime();
        Deadline deadline = Deadline.after(post.timeout());
        long nextProgress = 1;
        GrantStatus progress = null;
        while (!deadline.passed()) {
            for (TopicRecord record : status.poll()) {
                if (!key.equals(record.keyText())) {
                    continue;
                }
                GrantStatus s = StatusRecords.status(record);
                Optional<ExitCode> answer = WaitPolicy.answer(post.key(), generation, s);
                if (answer.isPresent()) {
                    print(s, post.output(), out, clock);
                    // Notes after the table; with -o json on stderr, so that stdout stays JSON.
                    PrintWriter notes = post.output() == OutputFormat.json ? err : out;
                    SelectorSummaryMapper.notes(post.key(), s).forEach(notes::println);
                    return answer.get();
                }
                if (WaitPolicy.concerns(post.key(), generation, s)) {
                    progress = s;
                }
            }
            long elapsed = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            if (elapsed >= nextProgress) {
                err.println("waiting for grant-service: " + key + " generation " + generation + " ... " + elapsed + "s"
                        + SelectorSummaryMapper.progress(progress));
                err.flush();
                nextProgress = elapsed < 5 ? 5 : elapsed + 5;
            }
        }
        if (post.key().isSelector()) {
            err.println("grantctl: no final status for " + key + " generation " + generation + " within "
                    + DurationSyntax.age(post.timeout())
                    + (progress == null ? " (no status yet)" : SelectorSummaryMapper.progress(progress))
                    + "; the record is posted: is grant-service running and reading the grants topic? Check later "
                    + "with: " + SelectorSummaryMapper.perTenantCommand(post.key()));
            return ExitCode.TIMEOUT;
        }
        err.println("grantctl: no status for " + key + " generation " + generation + " within "
                + DurationSyntax.age(post.timeout()) + "; the record is posted: is grant-service running and reading "
                + "the grants topic? Check later with: grantctl status --tenant " + post.key().tenant() + " --grant "
                + post.key().name());
        return ExitCode.TIMEOUT;
    }

    static void print(GrantStatus status, OutputFormat output, PrintWriter out, Clock clock) {
        if (output == OutputFormat.json) {
            out.println(Json.write(status));
        } else {
            out.print(StatusTableMapper.table(List.of(status), clock.instant()).render());
        }
    }
}
