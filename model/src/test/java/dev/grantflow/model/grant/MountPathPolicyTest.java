package dev.grantflow.model.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MountPathPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"/secret/test-secret", "/home/jovyan/.docker", "/home/jovyan/.config/gcloud", "/opt/creds",
            "/tmp/creds", "/var/secrets/x", "/etc-app/config", "/secretstore", "/mnt/data/keys", "/a", "/run-data/x"})
    void allowed(String path) {
        assertThat(MountPathPolicy.check("mountPath", path)).isEmpty();
        assertThat(MountPathPolicy.isAllowed(path)).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "secret/x                                      | INVALID_FORMAT | must be absolute",
            "./secret                                      | INVALID_FORMAT | must be absolute",
            "/secret/../etc                                | INVALID_FORMAT | '..' segment",
            "/secret/..                                    | INVALID_FORMAT | '..' segment",
            "/secret/./x                                   | INVALID_FORMAT | '.' segment",
            "/secret//x                                    | INVALID_FORMAT | '//'",
            "//secret                                      | INVALID_FORMAT | '//'",
            "/secret/x/                                    | INVALID_FORMAT | end with '/'",
            "/                                             | FORBIDDEN_PATH | is a system path",
            "/var/run/secrets/kubernetes.io                | FORBIDDEN_PATH | is a system path",
            "/var/run/secrets/kubernetes.io/serviceaccount | FORBIDDEN_PATH | below system path /var/run/secrets/kubernetes.io",
            "/var/run/secrets/kubeflow/pipelines           | FORBIDDEN_PATH | below system path /var/run",
            "/run/secrets/kubernetes.io/serviceaccount     | FORBIDDEN_PATH | below system path /run",
            "/proc                                         | FORBIDDEN_PATH | is a system path",
            "/proc/self                                    | FORBIDDEN_PATH | below system path /proc",
            "/sys/fs/cgroup                                | FORBIDDEN_PATH | below system path /sys",
            "/dev/shm                                      | FORBIDDEN_PATH | below system path /dev",
            "/etc                                          | FORBIDDEN_PATH | is a system path",
            "/etc/ssl/certs                                | FORBIDDEN_PATH | below system path /etc",
            "/bin                                          | FORBIDDEN_PATH | is a system path",
            "/sbin/x                                       | FORBIDDEN_PATH | below system path /sbin",
            "/usr/local/bin                                | FORBIDDEN_PATH | below system path /usr",
            "/lib/x86_64-linux-gnu                         | FORBIDDEN_PATH | below system path /lib",
            "/lib64                                        | FORBIDDEN_PATH | is a system path",
            "/boot/grub                                    | FORBIDDEN_PATH | below system path /boot",
            "/var/lib/dpkg                                 | FORBIDDEN_PATH | below system path /var/lib",
            "/home                                         | FORBIDDEN_PATH | is a system path",
            "/home/jovyan                                  | FORBIDDEN_PATH | is a system path",
            "/root                                         | FORBIDDEN_PATH | is a system path",
            "/tmp                                          | FORBIDDEN_PATH | is a system path",
            "/var                                          | FORBIDDEN_PATH | is a system path"})
    void rejected(String path, ViolationReason reason, String message) {
        List<Violation> violations = MountPathPolicy.check("spec.podDefault.mountPath", path);

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.podDefault.mountPath");
            assertThat(v.reason()).isEqualTo(reason);
            assertThat(v.message()).contains(message);
        });
    }

    @Test
    void missingTooLongAndControlCharactersAreRejected() {
        assertThat(MountPathPolicy.check("f", null)).extracting(Violation::reason).containsExactly(ViolationReason.REQUIRED);
        assertThat(MountPathPolicy.check("f", "")).extracting(Violation::reason).containsExactly(ViolationReason.REQUIRED);
        assertThat(MountPathPolicy.check("f", "/" + "a".repeat(MountPathPolicy.MAX_LENGTH)))
                .extracting(Violation::reason).containsExactly(ViolationReason.TOO_LONG);
        assertThat(MountPathPolicy.check("f", "/secret/a\nb")).singleElement().satisfies(v -> {
            assertThat(v.reason()).isEqualTo(ViolationReason.INVALID_FORMAT);
            assertThat(v.message()).doesNotContain("\n");
        });
    }
}
