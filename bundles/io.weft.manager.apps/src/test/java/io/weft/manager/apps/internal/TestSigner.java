package io.weft.manager.apps.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;

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
 * {@code signApp} signs with it; the other methods are not used by this bundle.
 */
final class TestSigner {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CertificateAuthority ca;
    private final ManagerPki pki = mock(ManagerPki.class);

    TestSigner(Path folder) throws IOException {
        ca = new CaFiles(Clock.systemUTC(), RANDOM).create(folder, "Test");
        KeyPair keys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        var certificate = ca.issue(IssueRequest.signer(CertificateProfile.APP_SIGNING, keys.getPublic(), "apps"));
        AppSigner signer = new AppSigner(keys.getPrivate(), ca.chainFor(certificate), RANDOM);
        when(pki.signApp(any())).thenAnswer(call -> signer.sign(call.getArgument(0)));
    }

    ManagerPki pki() {
        return pki;
    }

    /** Returns a verifier of app signatures as a node builds it from the root certificate. */
    AppSignatureVerifier verifier() {
        return new AppSignatureVerifier(TrustVerifier.withoutRevocation(ca.rootCertificate(), Clock.systemUTC()));
    }
}
