package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.StatusReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GrantRecordMapperTest {

    @Test
    void validGrantIsAccepted() {
        var decoded = GrantRecordMapper.decode("alice/test-secret", Fixtures.bytes("grant/v1-secret-ref.json"));
        assertThat(((GrantRecordMapper.Entry) decoded).entry()).isInstanceOf(GrantEntry.Accepted.class);
    }

    @Test
    void tombstoneRevokes() {
        assertThat(GrantRecordMapper.decode("alice/test-secret", null))
                .isEqualTo(new GrantRecordMapper.Revoke(new dev.grantflow.model.grant.GrantKey("alice", "test-secret")));
    }

    @Test
    void keyThatDoesNotMatchTheContentIsRejectedWithAllViolations() {
        var decoded = GrantRecordMapper.decode("bob/test-secret", Fixtures.bytes("grant/v1-secret-ref.json"));
        GrantEntry.Rejected rejected = (GrantEntry.Rejected) ((GrantRecordMapper.Entry) decoded).entry();
        assertThat(rejected.reason()).isEqualTo(StatusReason.INVALID_GRANT);
        assertThat(rejected.generation()).isEqualTo(1);
        assertThat(rejected.message()).contains("bob/test-secret");
    }

    @Test
    void unreadableValuesAndKeysNeverQuoteTheInput() {
        String canary = "sup3r-s3cret-canary";
        var garbage = (GrantRecordMapper.Unreadable) GrantRecordMapper.decode("alice/x",
                ("{\"apiVersion\": " + canary).getBytes(StandardCharsets.UTF_8));
        assertThat(garbage.reason()).isEqualTo("MalformedJson");
        assertThat(garbage.message()).doesNotContain(canary);

        var badKey = (GrantRecordMapper.Unreadable) GrantRecordMapper.decode("no-slash", new byte[] {'{', '}'});
        assertThat(badKey.key()).isNull();
        assertThat(badKey.reason()).isEqualTo("InvalidKey");
    }
}
