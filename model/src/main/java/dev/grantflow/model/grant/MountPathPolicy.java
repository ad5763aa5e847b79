package dev.grantflow.model.grant;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a granted Secret may be mounted in a notebook container.
 *
 * <p>A mount path must be absolute and canonical: it starts with '/', has no empty segment ({@code //}, trailing
 * '/'), no '.' or '..' segment and no control character, and is at most {@value #MAX_LENGTH} characters long.
 * Canonical form matters beyond safety: the admission webhook detects conflicting mounts by comparing paths as strings.
 *
 * <p>It must also stay out of system paths, because a Secret mounted there would shadow what the image or Kubernetes
 * put there:
 * <ul>
 *   <li>{@link #FORBIDDEN_TREES}: neither the path itself nor anything below it, e.g. {@code /etc/ssl},
 *       {@code /var/run/secrets/kubernetes.io/serviceaccount} (the pod's service account token), {@code /proc/x};</li>
 *   <li>{@link #FORBIDDEN_EXACT}: the path itself only, because mounting there would hide a whole directory that
 *       holds other data (e.g. {@code /home/jovyan}, the notebook's workspace volume), while subdirectories such as
 *       {@code /home/jovyan/.docker} are fine.</li>
 * </ul>
 */
public final class MountPathPolicy {

    public static final int MAX_LENGTH = 1024;

    /** System trees: no mount at or below these. */
    public static final List<String> FORBIDDEN_TREES = List.of(
            "/var/run/secrets/kubernetes.io", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32",
            "/proc", "/sbin", "/sys", "/usr", "/run", "/var/run", "/var/lib");

    /** Directories that may hold mounts below them but must not be replaced as a whole. */
    public static final List<String> FORBIDDEN_EXACT = List.of(
            "/", "/home", "/home/jovyan", "/root", "/tmp", "/var", "/opt", "/srv", "/mnt", "/media");

    private MountPathPolicy() {
    }

    /** The problems of {@code path} as a mount path, reported at {@code field}; empty when it is allowed. */
    public static List<Violation> check(String field, String path) {
        List<Violation> violations = new ArrayList<>();
        if (path == null || path.isEmpty()) {
            violations.add(new Violation(field, ViolationReason.REQUIRED, "mount path is required"));
            return violations;
        }
        if (path.length() > MAX_LENGTH) {
            violations.add(new Violation(field, ViolationReason.TOO_LONG,
                    "mount path must be no more than " + MAX_LENGTH + " characters"));
            return violations;
        }
        syntaxProblem(path).ifPresent(problem -> violations.add(new Violation(field, ViolationReason.INVALID_FORMAT,
                "mount path " + Quote.of(path) + " " + problem)));
        if (!violations.isEmpty()) {
            return violations;
        }
        forbiddenBy(path).ifPresent(system -> violations.add(new Violation(field, ViolationReason.FORBIDDEN_PATH,
                "mount path " + Quote.of(path) + (system.equals(path) ? " is a system path" : " lies below system path " + system))));
        return violations;
    }

    /** Whether {@code path} is an allowed mount path. */
    public static boolean isAllowed(String path) {
        return check("mountPath", path).isEmpty();
    }

    private static Optional<String> syntaxProblem(String path) {
        if (!path.startsWith("/")) {
            return Optional.of("must be absolute (start with '/')");
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("must not contain control characters");
        }
        if (path.length() > 1 && path.endsWith("/")) {
            return Optional.of("must not end with '/'");
        }
        if (path.contains("//")) {
            return Optional.of("must not contain '//'");
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of("must not contain a '..' segment");
            }
            if (segment.equals(".")) {
                return Optional.of("must not contain a '.' segment");
            }
        }
        return Optional.empty();
    }

    /** The forbidden system path that {@code path} (canonical) is or lies below. */
    private static Optional<String> forbiddenBy(String path) {
        if (FORBIDDEN_EXACT.contains(path)) {
            return Optional.of(path);
        }
        for (String tree : FORBIDDEN_TREES) {
            if (path.equals(tree) || path.startsWith(tree + "/")) {
                return Optional.of(tree);
            }
        }
        return Optional.empty();
    }
}
