package dev.grantflow.admission.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grantflow.admission.domain.AdmissionReviewMapper;
import dev.grantflow.admission.domain.CacheFreshnessPolicy;
import dev.grantflow.admission.domain.PodDefaultPolicy;
import dev.grantflow.admission.domain.PodDefaultValidationPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Wires the pure domain objects with configuration. They are thread-safe, live as long as the application and are
 * used on every admission request, so they are {@code @Singleton}: injected as themselves, without the client proxy
 * a normal scope puts in front of every call.
 */
@ApplicationScoped
public class AdmissionBeans {

    @Produces
    @Singleton
    PodDefaultPolicy podDefaultPolicy(AdmissionConfig config) {
        return new PodDefaultPolicy(config.skipInvalidSelectors());
    }

    @Produces
    @Singleton
    PodDefaultValidationPolicy validationPolicy(AdmissionConfig config) {
        return new PodDefaultValidationPolicy(config.validation().rejectWithoutMatchLabels());
    }

    @Produces
    @Singleton
    CacheFreshnessPolicy cacheFreshnessPolicy(AdmissionConfig config) {
        return new CacheFreshnessPolicy(config.cache().maxStaleness(), config.cache().readinessFailsWhenStale());
    }

    @Produces
    @Singleton
    AdmissionReviewMapper reviewMapper(ObjectMapper json) {
        return new AdmissionReviewMapper(json);
    }
}
