package dev.grantflow.grantctl.keys;

import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.trust.KeySets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * Key files on disk: private files are created owner-only (rw-------) and replaced only when asked; public JWKS files
 * collect keys (newest first), refusing a repeated kid. Each file is written to a temporary file beside it and moved
 * into place, so a reader never sees half a key set.
 */
public final class KeyFiles {

    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private KeyFiles() {
    }

    /** Fails, before anything is generated, when {@code file} exists and {@code force} is not set. */
    public static void checkWritable(Path file, boolean force, String option) {
        if (Files.exists(file) && !force) {
            throw GrantctlFailure.usage(option + " " + file + " exists; pass --force to replace it (the key in it is "
                    + "then lost), or choose another file");
        }
        if (Files.isDirectory(file)) {
            throw GrantctlFailure.usage(option + " " + file + " is a directory; give a file name");
        }
    }

    /** Writes {@code content} to {@code file} with owner-only permissions, replacing it only when {@code force}. */
    public static void writePrivate(Path file, String content, boolean force, String option) {
        checkWritable(file, force, option);
        write(file, content, OWNER_ONLY, force, option);
    }

    /**
     * The public key set of {@code file} with {@code key} added first (the first key is the current one), or a new set
     * when {@code file} does not exist. Refuses a kid the set already has, and mixing signing and sealing keys.
     */
    public static String publicSetWith(Path file, PublicJsonWebKey key, String option) {
        List<PublicJsonWebKey> keys = new ArrayList<>();
        keys.add(key);
        if (Files.exists(file)) {
            List<PublicJsonWebKey> existing;
            try {
                existing = KeySets.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } catch (IOException e) {
                throw GrantctlFailure.usage("cannot read " + option + " " + file + ": " + e.getClass().getSimpleName());
            } catch (IllegalArgumentException e) {
                throw GrantctlFailure.usage(option + " " + file + " exists but is not a key set (" + e.getMessage()
                        + "); choose another file");
            }
            for (PublicJsonWebKey other : existing) {
                if (other.getKeyId().equals(key.getKeyId())) {
                    throw GrantctlFailure.usage(option + " " + file + " already has a key with kid '" + key.getKeyId()
                            + "'; choose another --kid (e.g. with a date: " + key.getKeyId() + "-2)");
                }
                if (!other.getKeyType().equals(key.getKeyType())) {
                    throw GrantctlFailure.usage(option + " " + file + " holds " + other.getKeyType() + " keys ('"
                            + other.getKeyId() + "'), this is an " + key.getKeyType()
                            + " key: keep signing and sealing keys in separate files");
                }
            }
            keys.addAll(existing);
        }
        return KeySets.publicJson(keys);
    }

    /** Writes a public file (rw-r--r--), replacing it. */
    public static void writePublic(Path file, String content, String option) {
        write(file, content, PUBLIC, true, option);
    }

    private static void write(Path file, String content, Set<PosixFilePermission> permissions, boolean replace,
            String option) {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = createFile(target.getParent().resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid()),
                    permissions);
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            if (replace) {
                move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // Not replacing: a file that appeared meanwhile is not clobbered.
                Files.createLink(target, tmp);
                Files.delete(tmp);
            }
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw GrantctlFailure.usage(option + " " + file + " exists; pass --force to replace it");
        } catch (IOException | UnsupportedOperationException e) {
            throw GrantctlFailure.usage("cannot write " + option + " " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file holds the same content the user asked for
                }
            }
        }
    }

    private static void move(Path from, Path to, StandardCopyOption... options) throws IOException {
        try {
            Files.move(from, to, concat(options, StandardCopyOption.ATOMIC_MOVE));
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, options);
        }
    }

    private static StandardCopyOption[] concat(StandardCopyOption[] options, StandardCopyOption extra) {
        StandardCopyOption[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = extra;
        return all;
    }

    private static Path createFile(Path path, Set<PosixFilePermission> permissions) throws IOException {
        Files.deleteIfExists(path);
        try {
            return Files.createFile(path, PosixFilePermissions.asFileAttribute(permissions));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: create it, then restrict it as far as the platform allows.
            Path created = Files.createFile(path);
            boolean ownerOnly = !permissions.contains(PosixFilePermission.OTHERS_READ);
            created.toFile().setReadable(false, false);
            created.toFile().setReadable(true, ownerOnly);
            created.toFile().setWritable(false, false);
            created.toFile().setWritable(true, true);
            return created;
        }
    }
}
