package dev.grantflow.grant.domain;

import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.GrantValidationPolicy;
import dev.grantflow.model.json.Json;
import dev.grantflow.trust.KeyedDigest;
import dev.grantflow.trust.Signatures;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * CPU and allocation per record of what a restart does for each of its grants records and status records, one
 * thread, no Kafka: parse, intern, validate, check the receipt, the whole decode (receipt instead of the signature).
 * Not a test: a command for docs/benchmarks.md (grant-service, "Restart"), run with the test class path:
 * {@code java -cp <test class path> dev.grantflow.grant.domain.StartCost [records] [rounds]} (100000 and 5 if not given).
 */
public final class StartCost {

    private StartCost() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String grantTemplate = new String(Fixtures.bytes("grant/v1-secret-ref.json"), StandardCharsets.UTF_8);
        String statusTemplate = new String(Fixtures.bytes("grant-status/pending.json"), StandardCharsets.UTF_8);
        List<byte[]> grants = new ArrayList<>();
        List<byte[]> statuses = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> signatures = new ArrayList<>();
        VerificationReceipts receipts = new VerificationReceipts(new KeyedDigest(TrustFixtures.key(3)),
                TrustFixtures.TRUSTED.fingerprint());
        List<VerificationReceipts.Receipt> issued = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            String tenant = "r-" + (i / 10);
            byte[] grant = grantTemplate.replace("\"alice\"", "\"" + tenant + "\"").getBytes(StandardCharsets.UTF_8);
            String signature = Signatures.sign(TrustFixtures.ADMIN, grant);
            grants.add(grant);
            signatures.add(signature);
            keys.add(tenant + "/test-secret");
            issued.add(receipts.issue(grant, signature, tenant, "admin-test"));
            statuses.add(statusTemplate.replace("\"alice\"", "\"" + tenant + "\"").getBytes(StandardCharsets.UTF_8));
        }
        GrantRecordMapper mapper = new GrantRecordMapper(new SignaturePolicy(true, TrustFixtures.TRUSTED, receipts));
        System.out.printf("%d records; grant %d bytes, status %d bytes%n", records, grants.get(0).length,
                statuses.get(0).length);
        for (int round = 1; round <= rounds; round++) {
            System.out.printf("round %d:%n", round);
            measure("  grant: parse", records, i -> Json.parse(grants.get(i), Grant.class));
            measure("  grant: parse + intern", records, i -> InternedStrings.of(Json.parse(grants.get(i), Grant.class)));
            measure("  grant: parse, shared", records, i -> Json.parseShared(grants.get(i), Grant.class));
            List<Grant> parsed = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                parsed.add(Json.read(grants.get(i), Grant.class));
            }
            measure("  grant: validate", records, i -> GrantValidationPolicy.validate(parsed.get(i),
                    GrantKey.parse(keys.get(i)).orElseThrow()));
            measure("  grant: receipt check", records, i -> receipts.matches(issued.get(i), grants.get(i),
                    signatures.get(i), "r-" + (i / 10)));
            measure("  grant: decode (receipt)", records, i -> mapper.decode(keys.get(i), grants.get(i),
                    signatures.get(i), issued.get(i)));
            measure("  status: parse", records, i -> Json.parse(statuses.get(i), GrantStatus.class));
            measure("  status: parse + intern", records,
                    i -> InternedStrings.of(Json.parse(statuses.get(i), GrantStatus.class)));
            measure("  status: parse, shared", records, i -> Json.parseShared(statuses.get(i), GrantStatus.class));
        }
    }

    private static void measure(String what, int records, IntFunction<Object> work) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        Object last = null;
        for (int i = 0; i < records; i++) {
            last = work.apply(i);
        }
        double micros = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / records;
        long bytes = (threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocated) / records;
        System.out.printf("%-28s %6.2f us CPU, %6d bytes allocated per record (%s)%n", what, micros, bytes,
                last == null ? "null" : last.getClass().getSimpleName());
    }
}
