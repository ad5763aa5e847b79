package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.grant.GrantKey;
import org.junit.jupiter.api.Test;

class GrantTracesTest {

    static final GrantKey KEY = new GrantKey("alice", "db");
    static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void theLatestRecordsContextIsKeptAndARecordWithoutOneForgetsIt() {
        GrantTraces traces = new GrantTraces();
        assertThat(traces.traceparent(KEY)).isEmpty();
        traces.read(KEY, TRACE);
        assertThat(traces.traceparent(KEY)).contains(TRACE);
        traces.read(KEY, null);
        assertThat(traces.traceparent(KEY)).isEmpty();
        traces.read(KEY, TRACE);
        traces.read(KEY, " ");
        assertThat(traces.traceparent(KEY)).isEmpty();
    }

    @Test
    void clearForgetsEveryKey() {
        GrantTraces traces = new GrantTraces();
        traces.read(KEY, TRACE);
        traces.clear();
        assertThat(traces.traceparent(KEY)).isEmpty();
    }
}
