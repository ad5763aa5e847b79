package dev.grantflow.admission.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grantflow.admission.domain.AdmissionReviewMapper;
import dev.grantflow.admission.domain.CacheFreshnessPolicy;
import dev.grantflow.admission.domain.PodDefaultPolicy;
import dev.grantflow.admission.domain.PodDefaultValidationPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the pure domain objects with configuration. */
@ApplicationScoped
public class AdmissionBeans {

    @Produces
    @ApplicationScoped
    PodDefaultPolicy podDefaultPolicy(AdmissionConfig config) {
        return new PodDefaultPolicy(config.skipInvalidSelectors());
    }

    @Produces
    @ApplicationScoped
    PodDefaultValidationPolicy validationPolicy(AdmissionConfig config) {
        return new PodDefaultValidationPolicy(config.validation().rejectWithoutMatchLabels());
    }

    @Produces
    @ApplicationScoped
    CacheFreshnessPolicy cacheFreshnessPolicy(AdmissionConfig config) {
        return new CacheFreshnessPolicy(config.cache().maxStaleness(), config.cache().readinessFailsWhenStale());
    }

    @Produces
    @ApplicationScoped
    AdmissionReviewMapper reviewMapper(ObjectMapper json) {
        return new AdmissionReviewMapper(json);
    }
}
