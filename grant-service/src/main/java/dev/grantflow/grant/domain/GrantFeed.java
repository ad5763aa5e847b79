package dev.grantflow.grant.domain;

/**
 * The grants and tenants topics as the control loop needs them: whether the rebuilt state is complete. (Which grants
 * topic the state comes from is the ledger's: {@link GrantLedger#held}.)
 */
public interface GrantFeed {

    /** Both topics were read to the end offsets they had when this instance started. */
    boolean caughtUp();

}
