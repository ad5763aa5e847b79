package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.admission.domain.ServingCertificatePolicy.Decision;
import dev.grantflow.admission.tls.SelfSignedCertificate;
import dev.grantflow.admission.tls.SelfSignedCertificate.Issued;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class ServingCertificatePolicyTest {

    @Test
    void aConsistentNewPairIsInstalledAndThenUnchanged() throws Exception {
        Issued first = SelfSignedCertificate.Authority.create("ca").issue("first");

        Decision decision = ServingCertificatePolicy.decide(null, first.keys().getPrivate(), chain(first));

        assertThat(decision).isInstanceOfSatisfying(Decision.Install.class, install -> {
            assertThat(install.subject()).isEqualTo("CN=first");
            assertThat(install.fingerprint()).isEqualTo(ServingCertificatePolicy.fingerprint(first.certificate()))
                    .hasSize(64);
            assertThat(install.notAfter()).isEqualTo(first.certificate().getNotAfter().toInstant());
        });
        assertThat(ServingCertificatePolicy.decide(ServingCertificatePolicy.fingerprint(first.certificate()),
                first.keys().getPrivate(), chain(first))).isInstanceOf(Decision.Unchanged.class);
    }

    @Test
    void aCertificateReadWithTheOtherOnesKeyIsNotInstalled() throws Exception {
        SelfSignedCertificate.Authority ca = SelfSignedCertificate.Authority.create("ca");
        Issued old = ca.issue("old");
        Issued rotated = ca.issue("rotated");
        String served = ServingCertificatePolicy.fingerprint(old.certificate());

        // The new certificate read, then the key after... or before the swap: either way a mismatch.
        assertThat(ServingCertificatePolicy.decide(served, old.keys().getPrivate(), chain(rotated)))
                .isEqualTo(new Decision.Mismatched("CN=rotated"));
        // A key of another algorithm.
        PrivateKey rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        assertThat(ServingCertificatePolicy.decide(served, rsa, chain(rotated)))
                .isInstanceOf(Decision.Mismatched.class);
        // Once both files are the new ones.
        assertThat(ServingCertificatePolicy.decide(served, rotated.keys().getPrivate(), chain(rotated)))
                .isInstanceOf(Decision.Install.class);
    }

    @Test
    void nothingReadIsNotInstalled() {
        assertThat(ServingCertificatePolicy.decide(null, null, null)).isInstanceOf(Decision.NoKeyPair.class);
        assertThat(ServingCertificatePolicy.decide(null, null, new X509Certificate[0]))
                .isInstanceOf(Decision.NoKeyPair.class);
    }

    private static X509Certificate[] chain(Issued issued) {
        return new X509Certificate[] {issued.certificate()};
    }
}
