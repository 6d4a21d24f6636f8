/**
 * Public key infrastructure shared by the manager and the nodes. It covers the Weft
 * certificate authority and its files, certificate issuing by profile, CSR validation and
 * CRLs. It also verifies chains against the Weft root CA, and provides mutual TLS contexts,
 * enrollment tokens, signed documents, CMS signatures of edge app bundles and owner-only file
 * writes.
 *
 * <p>Every cryptographic operation uses one Bouncy Castle provider instance that this bundle
 * holds. The bundle never registers it with {@link java.security.Security}. TLS key and trust
 * managers hand JDK key and certificate objects to JSSE. Rejected input and failed
 * verifications raise {@link io.weft.pki.PkiException}, whose message names the value and
 * the reason.
 */
@Export
@Version("1.1.0")
package io.weft.pki;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
