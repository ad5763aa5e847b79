package dev.grantflow.admission.config;

import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultList;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import dev.grantflow.model.poddefault.PodDefaultStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image: the model's PodDefault types are (de)serialised by Jackson through reflection (informer, validating
 * webhook). The fabric8 types they contain are registered by the kubernetes-client extension.
 */
@RegisterForReflection(targets = {PodDefault.class, PodDefaultSpec.class, PodDefaultStatus.class, PodDefaultList.class},
        ignoreNested = false)
public final class NativeReflection {

    private NativeReflection() {
    }
}
