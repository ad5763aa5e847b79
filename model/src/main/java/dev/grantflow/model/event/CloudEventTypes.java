package dev.grantflow.model.event;

/**
 * CloudEvents 1.0 {@code type} values of the records Grantflow publishes (binary mode: {@code ce_type} header).
 */
public final class CloudEventTypes {

    public static final String TENANT_CREATED = "dev.grantflow.tenant.created.v1";
    public static final String TENANT_UPDATED = "dev.grantflow.tenant.updated.v1";
    public static final String GRANT = "dev.grantflow.grant.v1";
    public static final String GRANT_STATUS = "dev.grantflow.grant-status.v1";

    /** Kafka header names of CloudEvents binary mode. */
    public static final String HEADER_SPECVERSION = "ce_specversion";
    public static final String HEADER_ID = "ce_id";
    public static final String HEADER_SOURCE = "ce_source";
    public static final String HEADER_TYPE = "ce_type";
    public static final String HEADER_TIME = "ce_time";
    public static final String HEADER_CONTENT_TYPE = "content-type";

    private CloudEventTypes() {
    }
}
