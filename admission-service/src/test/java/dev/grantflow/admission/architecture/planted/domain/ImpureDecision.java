package dev.grantflow.admission.architecture.planted.domain;

import org.jboss.logging.Logger;

/** A planted violation for AdmissionServiceLayersTest: a domain class that logs. */
public class ImpureDecision {
    public void decide() {
        Logger.getLogger(ImpureDecision.class).info("decided");
    }
}
