package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keys kube-apiserver requires per Secret type, as a table. */
class SecretTypeKeysPolicyTest {

    @ParameterizedTest(name = "{0} with [{1}]: {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "Opaque                         |                           | -",
            "example.com/custom             | a                         | -",
            "kubernetes.io/dockerconfigjson | .dockerconfigjson         | -",
            "kubernetes.io/dockerconfigjson | config.json               | needs key(s) [.dockerconfigjson]",
            "kubernetes.io/dockercfg        | .dockercfg                | -",
            "kubernetes.io/dockercfg        | .dockerconfigjson         | needs key(s) [.dockercfg]",
            "kubernetes.io/tls              | tls.crt tls.key ca.crt    | -",
            "kubernetes.io/tls              | tls.crt                   | needs key(s) [tls.key]",
            "kubernetes.io/tls              | cert key                  | needs key(s) [tls.crt, tls.key]",
            "kubernetes.io/basic-auth       | username                  | -",
            "kubernetes.io/basic-auth       | password                  | -",
            "kubernetes.io/basic-auth       | token                     | needs at least one of the keys [username, password]",
            "kubernetes.io/ssh-auth         | ssh-privatekey known_hosts | -",
            "kubernetes.io/ssh-auth         | id_rsa                    | needs key(s) [ssh-privatekey]",
    })
    void requiredKeysPerType(String type, String keys, String problem) {
        List<String> present = keys == null ? List.of() : Arrays.asList(keys.trim().split("\\s+"));
        assertThat(SecretTypeKeysPolicy.missing(type.trim(), present).orElse(null)).isEqualTo(problem);
    }
}
