package io.weft.manager.apps.internal.command;

import java.io.PrintStream;

import javax.ws.rs.WebApplicationException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.weft.manager.apps.internal.AppSigning;
import io.weft.manager.apps.internal.SigningDtos.SigningRevocationDto;

/**
 * {@code weft:app-signing-revoke}: revokes the app-signing certificate, like
 * {@code POST /api/v1/app-signing-certificate/revoke}.
 */
@Service
@Command(scope = "weft", name = "app-signing-revoke",
        description = "Revokes the certificate that signs the app repository's bundles, for example after its key was"
                + " compromised. The CA issues a new one, every stored version is signed again with the same bytes"
                + " and SHA-256, and nodes reject bundles that the old certificate signed. The change is recorded in"
                + " the audit log with the shell user as actor.")
public class AppSigningRevokeCommand implements Action {

    @Reference
    AppSigning signing;

    @Option(name = "--reason", description = "The CRL reason, such as key_compromise (the default) or superseded.")
    String reason;

    @Override
    public Object execute() {
        SigningRevocationDto revocation;
        try {
            revocation = signing.revoke(ShellCaller.current(), reason);
        } catch (WebApplicationException e) {
            // Karaf prints the message, which names the invalid reason and the valid ones.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        print(revocation, System.out);
        return null;
    }

    static void print(SigningRevocationDto revocation, PrintStream out) {
        out.println("Revoked signing certificate " + revocation.revokedSerial());
        out.println("New signing certificate     " + revocation.certificate().serial() + ", valid until "
                + revocation.certificate().notAfter());
        out.println("Versions signed again       " + revocation.signedAgain());
        if (!revocation.failed().isEmpty()) {
            out.println("Not signed again, so nodes reject them until uploaded as new versions: "
                    + String.join(", ", revocation.failed()));
        }
    }
}
