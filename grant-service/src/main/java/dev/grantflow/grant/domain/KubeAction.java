package dev.grantflow.grant.domain;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** One write the reconciler performs; the plan orders them (Secret before PodDefault, PodDefault deleted first). */
public sealed interface KubeAction {

    HasMetadata object();

    /** Create {@code desired}, or replace {@code existing} with it (optimistic lock on its resourceVersion). */
    record Upsert(HasMetadata desired, HasMetadata existing) implements KubeAction {
        @Override
        public HasMetadata object() {
            return desired;
        }
    }

    /**
     * Replace {@code existing} by {@code desired} through a delete (preconditioned on the uid and resourceVersion of
     * {@code existing}) and a create: what differs is a field the API server never updates (a Secret's {@code type},
     * the data of an {@code immutable} Secret).
     */
    record Recreate(HasMetadata desired, HasMetadata existing) implements KubeAction {
        @Override
        public HasMetadata object() {
            return desired;
        }
    }

    /** Delete a managed object, preconditioned on the uid and resourceVersion the decision saw. */
    record Delete(HasMetadata existing) implements KubeAction {
        @Override
        public HasMetadata object() {
            return existing;
        }
    }

    /** {@code Secret ns/name} style description for logs and status messages (never content). */
    default String describe() {
        HasMetadata o = object();
        return o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }
}
