package dev.grantflow.grant.kube;

import dev.grantflow.grant.domain.KubeAction;
import dev.grantflow.grant.domain.ManagedLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Performs one {@link KubeAction}: create, replace with an optimistic lock on the resourceVersion the decision was
 * based on, or delete. Never touches an object without Grantflow's {@code managed-by} label: a create that finds such
 * an object fails with {@link NameClash}.
 */
@ApplicationScoped
public class KubeWriter {

    private static final Logger LOG = Logger.getLogger(KubeWriter.class);

    @Inject
    KubernetesClient client;

    public void execute(KubeAction action) {
        if (action instanceof KubeAction.Delete delete) {
            HasMetadata existing = delete.existing();
            LOG.infof("delete %s", action.describe());
            client.resource(existing).delete();
            return;
        }
        KubeAction.Upsert upsert = (KubeAction.Upsert) action;
        HasMetadata desired = upsert.desired();
        if (upsert.existing() == null) {
            LOG.infof("create %s", action.describe());
            try {
                client.resource(desired).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                HasMetadata found = client.resource(desired).get();
                if (found != null && !managed(found)) {
                    throw new NameClash(action.describe());
                }
                throw e; // ours, not yet in the informer cache: retried
            }
            return;
        }
        LOG.infof("update %s", action.describe());
        desired.getMetadata().setResourceVersion(upsert.existing().getMetadata().getResourceVersion());
        client.resource(desired).update();
    }

    private static boolean managed(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && ManagedLabels.MANAGED_BY_VALUE.equals(labels.get(ManagedLabels.MANAGED_BY));
    }

    /** An object of the desired name exists and is not managed by Grantflow. */
    public static final class NameClash extends RuntimeException {
        public NameClash(String object) {
            super(object + " exists and is not managed by Grantflow; it is left untouched", null, false, false);
        }
    }
}
