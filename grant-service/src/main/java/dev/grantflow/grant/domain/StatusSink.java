package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/** Where grant statuses go (the status topic). Implemented on the Kafka side; the control loop sees only this. */
public interface StatusSink {

    /**
     * Publishes when the status differs from the last one published for its key; completes once acknowledged, or
     * at once when there was nothing to publish.
     */
    CompletionStage<Void> publish(GrantStatus status);

    /**
     * Takes what the status topic holds now as the last published status of the keys {@code ofKeys} accepts (keys
     * this instance takes over: their previous owner published since this instance last read the topic), and of any
     * other key the topic changed meanwhile.
     */
    void refresh(Predicate<GrantKey> ofKeys);

    /** The last status published for {@code key} (by this instance, or read back from the topic), or null. */
    GrantStatus last(GrantKey key);

    /** The keys {@code ofKeys} accepts that have a last status here (e.g. a selector grant's reported copies). */
    java.util.Set<GrantKey> reported(Predicate<GrantKey> ofKeys);

    /** Forgets what was published for a key this instance does not act on. */
    void forget(GrantKey key);

    /** The statuses published before this start are known (reconciling waits for it). */
    boolean seeded();
}
