package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A Secret in the administrators' source namespace that the grant copies (and whose rotation it follows).
 *
 * @param namespace source namespace (DNS-1123 label)
 * @param name      source Secret name (DNS-1123 subdomain)
 */
@JsonPropertyOrder({"namespace", "name"})
public record SecretRef(String namespace, String name) {
}
