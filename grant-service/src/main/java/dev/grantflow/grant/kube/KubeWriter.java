package dev.grantflow.grant.kube;

import dev.grantflow.grant.domain.KubeAction;
import dev.grantflow.grant.domain.ManagedLabels;
import dev.grantflow.grant.domain.ReconcilePolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Performs one {@link KubeAction}: create, replace with an optimistic lock on the resourceVersion the decision was
 * based on, or delete. Never touches an object without Grantflow's {@code managed-by} label, nor one that another
 * grant made: a write that finds such an object fails with {@link NameClash}.
 *
 * <p>Decisions are taken on the informer cache, which may lag behind the writes of a moment ago. When the API answers
 * 409 (the object exists although the cache has none, or it changed since the cache saw it), the object is read
 * once: if it already is as desired there is nothing to do, otherwise it is replaced on the version just read. Only a
 * second conflict is left to the caller's retry.
 */
@ApplicationScoped
public class KubeWriter {

    private static final Logger LOG = Logger.getLogger(KubeWriter.class);

    @Inject
    KubernetesClient client;

    public void execute(KubeAction action) {
        if (action instanceof KubeAction.Delete delete) {
            LOG.infof("delete %s", action.describe());
            client.resource(delete.existing()).delete();
            return;
        }
        KubeAction.Upsert upsert = (KubeAction.Upsert) action;
        HasMetadata desired = upsert.desired();
        try {
            if (upsert.existing() == null) {
                LOG.infof("create %s", action.describe());
                client.resource(desired).create();
            } else {
                LOG.infof("update %s", action.describe());
                replace(desired, upsert.existing().getMetadata().getResourceVersion());
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            HasMetadata found = client.resource(desired).get();
            if (found == null) {
                throw e; // deleted in between: the next attempt creates it
            }
            checkOwnership(found, desired, action);
            if (ReconcilePolicy.upToDate(found, desired)) {
                LOG.debugf("%s is already as desired (the cache had not seen it yet)", action.describe());
                return;
            }
            LOG.infof("update %s (on the version just read)", action.describe());
            replace(desired, found.getMetadata().getResourceVersion());
        }
    }

    private void replace(HasMetadata desired, String resourceVersion) {
        desired.getMetadata().setResourceVersion(resourceVersion);
        client.resource(desired).update();
    }

    private static void checkOwnership(HasMetadata found, HasMetadata desired, KubeAction action) {
        if (!ManagedLabels.MANAGED_BY_VALUE.equals(label(found, ManagedLabels.MANAGED_BY))) {
            throw new NameClash(action.describe() + " exists and is not managed by Grantflow; it is left untouched");
        }
        String owner = label(found, ManagedLabels.GRANT);
        if (!Objects.equals(owner, label(desired, ManagedLabels.GRANT))) {
            throw new NameClash(action.describe() + " exists and belongs to grant " + owner
                    + " of the same tenant; it is left untouched");
        }
    }

    private static String label(HasMetadata object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    /** An object of the desired name exists and is not this grant's to change. */
    public static final class NameClash extends RuntimeException {
        public NameClash(String message) {
            super(message, null, false, false);
        }
    }
}
