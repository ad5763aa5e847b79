package dev.grantflow.model.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grantflow.model.control.Deadline;
import dev.grantflow.model.control.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The read-to-the-end loop against a fake partitioned log. */
class CompactedTopicReadTest {

    record Rec(String partition, long offset, String key, String value) {
    }

    /** A partitioned log and a consumer on it: each poll returns at most {@code maxPoll} records per partition. */
    static final class FakeLog {
        final Map<String, List<Rec>> partitions = new LinkedHashMap<>();
        final Map<String, Long> positions = new HashMap<>();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicLong now = new AtomicLong();
        final Ticker ticker = now::get;
        int maxPoll = 2;
        /** Polls that return nothing before the log answers (a slow broker). */
        int emptyPolls;
        /** Moves the clock on every poll. */
        Duration pollTakes = Duration.ofMillis(200);
        /** A record appended once, at the first poll (written after the read took the end offsets). */
        Rec lateRecord;

        FakeLog(int partitionCount) {
            for (int i = 0; i < partitionCount; i++) {
                partitions.put("p" + i, new ArrayList<>());
                positions.put("p" + i, 0L);
            }
        }

        FakeLog write(int partition, String key, String value) {
            List<Rec> log = partitions.get("p" + partition);
            log.add(new Rec("p" + partition, log.size(), key, value));
            return this;
        }

        List<Rec> poll() {
            polls.incrementAndGet();
            now.addAndGet(pollTakes.toNanos());
            if (emptyPolls > 0) {
                emptyPolls--;
                return List.of();
            }
            if (lateRecord != null) {
                write(Integer.parseInt(lateRecord.partition().substring(1)), lateRecord.key(), lateRecord.value());
                lateRecord = null;
            }
            List<Rec> out = new ArrayList<>();
            partitions.forEach((p, log) -> {
                long position = positions.get(p);
                for (int i = 0; i < maxPoll && position < log.size(); i++) {
                    out.add(log.get((int) position++));
                }
                positions.put(p, position);
            });
            return out;
        }

        CompactedTopicRead.Log<String, Rec> log() {
            Map<String, Long> ends = new HashMap<>();
            partitions.forEach((p, log) -> ends.put(p, (long) log.size()));
            return new CompactedTopicRead.Log<>("t", partitions.keySet(), ends, positions::get, this::poll);
        }

        Map<String, String> latest(Duration timeout) {
            return CompactedTopicRead.latest(log(), Deadline.after(timeout, ticker), Rec::key, Rec::value);
        }
    }

    @Test
    void latestValuePerKeyWithTombstonesAcrossPartitions() {
        FakeLog log = new FakeLog(3)
                .write(0, "a", "1").write(0, "a", "2").write(0, "b", "1").write(0, "b", null).write(0, "c", "1")
                .write(1, "d", "1").write(1, "d", null).write(1, "d", "3")
                .write(2, "e", null);

        assertThat(log.latest(Duration.ofSeconds(10))).containsExactlyInAnyOrderEntriesOf(
                Map.of("a", "2", "c", "1", "d", "3"));
        assertThat(log.positions).containsEntry("p0", 5L).containsEntry("p1", 3L).containsEntry("p2", 1L);
    }

    @Test
    void recordsWithoutAKeyAreSkippedAndUnreadableValuesRemoveTheirKey() {
        FakeLog log = new FakeLog(1).write(0, null, "x").write(0, "a", "1").write(0, "b", "ok").write(0, "b", "garbage");

        Map<String, String> latest = CompactedTopicRead.latest(log.log(), Deadline.after(Duration.ofSeconds(10), log.ticker),
                Rec::key, r -> r.value().equals("garbage") ? null : r.value());

        assertThat(latest).containsExactlyEntriesOf(Map.of("a", "1"));
    }

    @Test
    void anEmptyTopicIsReadWithoutPolling() {
        FakeLog log = new FakeLog(2);

        assertThat(log.latest(Duration.ofSeconds(1))).isEmpty();
        assertThat(log.polls).hasValue(0);
        assertThat(CompactedTopicRead.latest(new FakeLog(0).log(), Deadline.after(Duration.ZERO, log.ticker),
                Rec::key, Rec::value)).isEmpty();
    }

    @Test
    void emptyPollsDoNotEndTheReadBeforeTheEnd() {
        FakeLog log = new FakeLog(1).write(0, "a", "1");
        log.emptyPolls = 3;

        assertThat(log.latest(Duration.ofSeconds(10))).containsExactlyEntriesOf(Map.of("a", "1"));
        assertThat(log.polls).hasValue(4);
    }

    @Test
    void recordsWrittenDuringTheReadAreKeptWhenPolledButNotWaitedFor() {
        FakeLog big = new FakeLog(1).write(0, "a", "1").write(0, "b", "1");
        big.maxPoll = 3;
        big.lateRecord = new Rec("p0", -1, "a", "2");
        FakeLog small = new FakeLog(1).write(0, "a", "1").write(0, "b", "1");
        small.maxPoll = 1;
        small.lateRecord = new Rec("p0", -1, "a", "2");

        // The end offset was 2; a=2 (offset 2) was written after. One poll of 3 reads it: newer, so it counts.
        assertThat(big.latest(Duration.ofSeconds(10))).containsExactlyInAnyOrderEntriesOf(Map.of("a", "2", "b", "1"));
        assertThat(big.polls).hasValue(1);
        // Polls of 1 reach the end offset after a=1 and b=1 and stop there.
        assertThat(small.latest(Duration.ofSeconds(10))).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "1"));
        assertThat(small.polls).hasValue(2);
    }

    @Test
    void everyRecordIsHandedOverInPollOrder() {
        FakeLog log = new FakeLog(1).write(0, "a", "1").write(0, "a", null).write(0, "a", "3");
        List<String> seen = new ArrayList<>();

        CompactedTopicRead.toEnd(log.log(), Deadline.after(Duration.ofSeconds(10), log.ticker),
                r -> seen.add(r.key() + "=" + r.value()));

        assertThat(seen).containsExactly("a=1", "a=null", "a=3");
    }

    @Test
    void aPassedDeadlineFailsNamingThePartitionsBehind() {
        FakeLog log = new FakeLog(2).write(0, "a", "1").write(1, "b", "1").write(1, "b", "2").write(1, "b", "3");
        log.maxPoll = 1;

        // Polls take 200 ms: after the first poll (0.2 s) p1 is at 1 of 3, after the second (0.4 s, beyond the
        // deadline) at 2 of 3, and p0 is done.
        assertThatThrownBy(() -> log.latest(Duration.ofMillis(300)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Timed out reading t to its end (p1 at 2 of 3)");
        assertThat(log.polls).hasValue(2);
    }

    @Test
    void everyPartitionNeedsAnEndOffset() {
        assertThatThrownBy(() -> new CompactedTopicRead.Log<String, Rec>("t", List.of("p0", "p1"), Map.of("p0", 1L),
                p -> 0L, List::of))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("No end offset for p1 of t");
    }
}
