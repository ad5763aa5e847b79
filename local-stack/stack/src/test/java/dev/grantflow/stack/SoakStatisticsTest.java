package dev.grantflow.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.stack.SoakStatistics.Outcome;
import dev.grantflow.stack.SoakStatistics.Sample;
import dev.grantflow.stack.SoakStatistics.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The soak's windows, percentiles, trend and heap parsing (the soak itself is a command, not a test). */
class SoakStatisticsTest {

    @Test
    void nearestRankPercentiles() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray();
        assertThat(SoakStatistics.percentile(hundred, 50)).isEqualTo(50);
        assertThat(SoakStatistics.percentile(hundred, 99)).isEqualTo(99);
        assertThat(SoakStatistics.percentile(hundred, 99.9)).isEqualTo(100);
        assertThat(SoakStatistics.percentile(hundred, 100)).isEqualTo(100);
        long[] thousand = LongStream.rangeClosed(1, 1000).toArray();
        assertThat(SoakStatistics.percentile(thousand, 99.9)).isEqualTo(999);
        assertThat(SoakStatistics.percentile(new long[] {7}, 50)).isEqualTo(7);
        assertThat(SoakStatistics.percentile(new long[0], 50)).isEqualTo(-1);
    }

    @Test
    void samplesGoToTheWindowOfTheirIntendedSendTimeAndErrorsAreCountedNotTimed() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            samples.add(new Sample(i * 100L, i * 1000L, Outcome.OK)); // window 0: 1..10 ms
        }
        // Due at 9.9 s but answered late: it belongs to window 0, with its full latency.
        samples.add(new Sample(9_900, 50_000, Outcome.OK));
        samples.add(new Sample(12_000, 3_000, Outcome.DENIED));
        samples.add(new Sample(13_000, 10_000_000, Outcome.TIMEOUT));
        samples.add(new Sample(14_000, 2_000, Outcome.OK));

        List<Window> windows = SoakStatistics.windows(samples, 10, 30);

        assertThat(windows).extracting(Window::startSeconds).containsExactly(0L, 10L, 20L);
        Window first = windows.get(0);
        assertThat(first.requests()).isEqualTo(11);
        assertThat(first.p50Micros()).isEqualTo(6_000);
        assertThat(first.maxMicros()).isEqualTo(50_000);
        assertThat(first.errors()).isZero();
        Window second = windows.get(1);
        assertThat(second.requests()).isEqualTo(3);
        assertThat(second.errors()).isEqualTo(2);
        assertThat(second.outcomes()).containsEntry(Outcome.DENIED, 1).containsEntry(Outcome.TIMEOUT, 1);
        // The timeout has no latency; the denial's answer has one.
        assertThat(second.maxMicros()).isEqualTo(3_000);
        assertThat(windows.get(2).requests()).isZero();
        assertThat(windows.get(2).p99Micros()).isEqualTo(-1);
    }

    @Test
    void leastSquaresSlope() {
        assertThat(SoakStatistics.slope(new double[] {0, 1, 2, 3}, new double[] {10, 12, 14, 16})).isEqualTo(2.0);
        assertThat(SoakStatistics.slope(new double[] {0, 1, 2, 3}, new double[] {5, 7, 5, 7})).isEqualTo(0.4);
        assertThat(SoakStatistics.slope(new double[] {1, 1}, new double[] {1, 2})).isNaN();
        assertThat(SoakStatistics.slope(new double[] {1}, new double[] {1})).isNaN();
    }

    @Test
    void heapIsTheSumOfTheHeapPoolsOnly() {
        String page = """
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="eden space"} 1.048576E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
                jvm_memory_used_bytes{area="heap",id="tenured generation"} 2097152.0
                jvm_memory_committed_bytes{area="heap",id="eden space"} 9.9E9
                """;
        assertThat(SoakStatistics.heapUsedBytes(page)).isEqualTo(10_485_760L + 2_097_152L);
        assertThat(SoakStatistics.heapUsedBytes("up 1\n")).isEqualTo(-1);
    }
}
