package dev.grantflow.grant.domain;

/**
 * The grants and tenants topics as the control loop needs them: whether the rebuilt state is complete, and which
 * grants topic it comes from.
 */
public interface GrantFeed {

    /** Both topics were read to the end offsets they had when this instance started. */
    boolean caughtUp();

    /** Kafka's id of the grants topic the view reads, or null before it is known. */
    String grantsTopicId();

}
