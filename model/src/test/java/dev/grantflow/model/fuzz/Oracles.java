package dev.grantflow.model.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantPodDefault;
import dev.grantflow.model.grant.GrantSecret;
import dev.grantflow.model.grant.SecretEnvVar;
import dev.grantflow.model.grant.SecretItem;
import dev.grantflow.model.grant.SecretType;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The documented invariants of an accepted grant (docs/design.md, GrantValidationPolicy), checked independently of the
 * validation code: with plain ASCII patterns and {@link java.nio.file.Path} semantics rather than the rules' own
 * implementation, so that a rule that lets something through is caught, not repeated.
 */
public final class Oracles {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    /** Trees no mount may be at or below, and directories no mount may replace (docs/design.md, MountPathPolicy). */
    private static final List<String> SYSTEM_TREES = List.of("/var/run/secrets/kubernetes.io", "/bin", "/boot", "/dev",
            "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/sbin", "/sys", "/usr", "/run", "/var/run", "/var/lib");
    private static final List<String> WHOLE_DIRECTORIES = List.of("/", "/home", "/home/jovyan", "/root", "/tmp", "/var",
            "/opt", "/srv", "/mnt", "/media");

    private Oracles() {
    }

    /** An allowed mount path is absolute, canonical (normalizing changes nothing) and outside every system path. */
    public static void assertSafeMountPath(String path) {
        assertThat(path).as("mount path").startsWith("/").hasSizeLessThanOrEqualTo(1024);
        assertThat(path.chars().noneMatch(Character::isISOControl)).as("no control characters in %s", path).isTrue();
        Path p = Path.of(path);
        assertThat(p.normalize().toString()).as("canonical: %s", path).isEqualTo(path);
        for (String tree : SYSTEM_TREES) {
            assertThat(p.startsWith(Path.of(tree))).as("%s at or below system tree %s", path, tree).isFalse();
        }
        assertThat(WHOLE_DIRECTORIES).as("a whole system directory").doesNotContain(path);
    }

    /** An item path is relative and stays inside the mount path however the kubelet joins them. */
    public static void assertContainedItemPath(String mountPath, String itemPath) {
        assertThat(itemPath).as("item path").isNotEmpty().doesNotStartWith("/");
        assertThat(itemPath.chars().noneMatch(Character::isISOControl)).as("no control characters").isTrue();
        Path mount = Path.of(mountPath);
        Path joined = mount.resolve(itemPath).normalize();
        assertThat(joined.startsWith(mount) && !joined.equals(mount)).as("%s stays below %s", itemPath, mountPath).isTrue();
        for (String segment : itemPath.split("/", -1)) {
            assertThat(segment).as("segment of %s", itemPath).isNotEmpty().isNotEqualTo("..");
        }
    }

    /** Everything the validation promises about a grant it accepted under {@code key}. */
    public static void assertAcceptedGrant(Grant grant, GrantKey key) {
        assertThat(grant.apiVersion()).isEqualTo(Grant.API_VERSION);
        assertThat(grant.kind()).isEqualTo(Grant.KIND);
        assertThat(grant.grantKey()).as("the grant belongs to its record key").isEqualTo(key);
        assertThat(grant.metadata().tenant()).matches(LABEL);
        assertThat(grant.metadata().name()).matches(SUBDOMAIN).hasSizeLessThanOrEqualTo(63);
        assertThat(grant.metadata().generation()).isPositive();
        assertThat(grant.metadata().issuedAt()).isNotNull();
        if (grant.spec().expiresAt() != null) {
            assertThat(grant.spec().expiresAt()).isAfter(grant.metadata().issuedAt());
        }
        GrantSecret secret = grant.spec().secret();
        assertThat(secret.name()).matches(SUBDOMAIN).hasSizeLessThanOrEqualTo(253);
        assertThat(SecretType.supportedValues()).contains(secret.type());
        assertThat(secret.source().secretRef() == null).as("exactly one source").isNotEqualTo(secret.source().sealedData() == null);
        Set<String> sealedKeys = null;
        if (secret.source().secretRef() != null) {
            assertThat(secret.source().secretRef().namespace()).matches(LABEL);
            assertThat(secret.source().secretRef().name()).matches(SUBDOMAIN);
        } else {
            Map<String, String> sealed = secret.source().sealedData();
            assertThat(sealed).isNotEmpty().hasSizeLessThanOrEqualTo(64);
            sealed.forEach((k, v) -> {
                assertSecretKey(k);
                assertThat(v.split("\\.", -1)).as("a JWE has 5 parts").hasSize(5);
            });
            sealedKeys = sealed.keySet();
        }
        GrantPodDefault pd = grant.spec().podDefault();
        assertThat(pd.name()).matches(SUBDOMAIN);
        assertThat(pd.desc() == null || pd.desc().length() <= 1024).as("desc length").isTrue();
        String label = pd.selectorLabel();
        String labelName = label.substring(label.indexOf('/') + 1);
        assertThat(labelName).matches(QUALIFIED_NAME);
        if (label.contains("/")) {
            assertThat(label.substring(0, label.indexOf('/'))).matches(SUBDOMAIN);
        }
        assertSafeMountPath(pd.mountPath());
        if (pd.items() != null) {
            assertThat(pd.items()).hasSizeLessThanOrEqualTo(64).doesNotContainNull();
            Set<String> paths = new HashSet<>();
            for (SecretItem item : pd.items()) {
                assertSecretKey(item.key());
                assertContainedItemPath(pd.mountPath(), item.path());
                assertThat(paths.add(item.path())).as("item paths are unique").isTrue();
                if (sealedKeys != null) {
                    assertThat(sealedKeys).contains(item.key());
                }
            }
        }
        assertThat(pd.env()).hasSizeLessThanOrEqualTo(64).doesNotContainNull();
        Set<String> names = new HashSet<>();
        for (SecretEnvVar env : pd.env()) {
            assertThat(env.name()).matches(ENV_NAME).isNotEqualTo(".").doesNotStartWith("..");
            assertThat(names.add(env.name())).as("env names are unique").isTrue();
            assertSecretKey(env.key());
            if (sealedKeys != null) {
                assertThat(sealedKeys).contains(env.key());
            }
        }
    }

    private static void assertSecretKey(String key) {
        assertThat(key).matches(SECRET_KEY).hasSizeLessThanOrEqualTo(253).isNotEqualTo(".").doesNotStartWith("..");
    }
}
