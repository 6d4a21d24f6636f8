package io.weft.manager.apps.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import io.weft.manager.pki.api.AppSignerReplacement;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.pki.AppSignatureVerifier;
import io.weft.pki.AppSigner;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.CertificateProfile;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.KeyType;
import io.weft.pki.TrustVerifier;

/**
 * A real Weft CA in a folder with an app-signing key, behind a {@link ManagerPki} whose
 * {@code signApp}, {@code appSigningCertificate} and {@code replaceAppSigner} use it; the
 * other methods are not used by this bundle.
 */
final class TestSigner {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CertificateAuthority ca;
    private final ManagerPki pki = mock(ManagerPki.class);
    private final Set<BigInteger> revoked = new CopyOnWriteArraySet<>();
    private volatile X509Certificate certificate;
    private volatile AppSigner signer;

    TestSigner(Path folder) throws IOException {
        ca = new CaFiles(Clock.systemUTC(), RANDOM).create(folder, "Test");
        issueSigner();
        when(pki.signApp(any())).thenAnswer(call -> signer.sign(call.getArgument(0)));
        when(pki.appSigningCertificate()).thenAnswer(call -> certificate);
        when(pki.replaceAppSigner(any())).thenAnswer(call -> {
            BigInteger old = certificate.getSerialNumber();
            revoked.add(old);
            issueSigner();
            return new AppSignerReplacement(old, certificate);
        });
    }

    ManagerPki pki() {
        return pki;
    }

    /** Returns a verifier of app signatures as a node builds it from the root certificate. */
    AppSignatureVerifier verifier() {
        return new AppSignatureVerifier(TrustVerifier.withoutRevocation(ca.rootCertificate(), Clock.systemUTC()));
    }

    /** Returns a verifier as a node builds it, with the serials that {@code replaceAppSigner} revoked. */
    AppSignatureVerifier verifierWithRevocations() {
        return new AppSignatureVerifier(new TrustVerifier(ca.rootCertificate(), () -> revoked, Clock.systemUTC()));
    }

    private void issueSigner() {
        KeyPair keys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        certificate = ca.issue(IssueRequest.signer(CertificateProfile.APP_SIGNING, keys.getPublic(), "apps"));
        signer = new AppSigner(keys.getPrivate(), ca.chainFor(certificate), RANDOM);
    }
}
