package dev.grantflow.admission.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Writes a self-signed certificate and key as PEM files, the way cert-manager's Secret is mounted (tls.crt, tls.key);
 * or, with {@link Authority}, leaf certificates signed by a CA, written as kubelet writes a Secret volume.
 */
public final class SelfSignedCertificate {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private SelfSignedCertificate() {
    }

    /** A key and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {

        public String commonName() {
            return certificate.getSubjectX500Principal().getName();
        }
    }

    /** A CA (as cert-manager's CA Issuer): clients trust it, and with it every leaf it signs, old and new. */
    public record Authority(Issued ca) {

        public static Authority create(String commonName) throws GeneralSecurityException {
            KeyPair keys = ecKeys();
            X500Name subject = new X500Name("CN=" + commonName);
            JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
            try {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            return new Authority(new Issued(keys, sign(builder, keys)));
        }

        /** A serving certificate for localhost and 127.0.0.1, signed by this CA. */
        public Issued issue(String commonName) throws GeneralSecurityException {
            KeyPair keys = ecKeys();
            JcaX509v3CertificateBuilder builder = builder(new X500Name(ca.certificate().getSubjectX500Principal()
                    .getName()), new X500Name("CN=" + commonName), keys);
            try {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            return new Issued(keys, sign(builder, ca.keys()));
        }
    }

    /**
     * Writes {@code issued} into {@code dir} as kubelet updates a Secret volume (its AtomicWriter): the files go into
     * a new timestamped directory, the {@code ..data} symlink is switched to it in one rename, and {@code tls.crt}
     * and {@code tls.key} are symlinks through {@code ..data}; so a reader sees the old pair or the new one, never a
     * mix of files (though two reads, one per file, may straddle the switch). The previous directory is deleted.
     */
    public static void writeAsKubelet(Path dir, Issued issued) throws IOException {
        Files.createDirectories(dir);
        Path version = dir.resolve("..%d_%d".formatted(System.currentTimeMillis(), SERIALS.incrementAndGet()));
        Files.createDirectory(version);
        writePem(version.resolve("tls.key"), new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY",
                issued.keys().getPrivate().getEncoded()));
        writePem(version.resolve("tls.crt"), issued.certificate());
        Path data = dir.resolve("..data");
        Path previous = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
        Path next = dir.resolve("..data_tmp");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, version.getFileName());
        Files.move(next, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String file : new String[] {"tls.crt", "tls.key"}) {
            Path link = dir.resolve(file);
            if (!Files.isSymbolicLink(link)) {
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of("..data", file));
            }
        }
        if (previous != null && !previous.equals(version)) {
            for (String file : new String[] {"tls.crt", "tls.key"}) {
                Files.deleteIfExists(previous.resolve(file));
            }
            Files.deleteIfExists(previous);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(object);
        }
    }

    /** Writes {@code tls.crt} and {@code tls.key} for {@code commonName} into {@code dir}, replacing any previous pair atomically per file. */
    public static void write(Path dir, String commonName) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509CertificateHolder certificate;
        try {
            certificate = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
        Files.createDirectories(dir);
        Path key = Files.createTempFile(dir, "key", ".tmp");
        try (Writer w = Files.newBufferedWriter(key); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
        }
        Path crt = Files.createTempFile(dir, "crt", ".tmp");
        try (Writer w = Files.newBufferedWriter(crt); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(certificate);
        }
        Files.move(key, dir.resolve("tls.key"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(crt, dir.resolve("tls.crt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code java ... SelfSignedCertificate <dir> <common name>}: used by the benchmark script. */
    public static void main(String[] args) throws Exception {
        write(Path.of(args[0]), args.length > 1 ? args[1] : "localhost");
    }
}
