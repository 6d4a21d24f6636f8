package io.weft.manager.api.internal.command;

import io.weft.manager.access.Grant;
import io.weft.manager.access.Principal;
import io.weft.manager.access.Role;
import io.weft.manager.api.internal.access.Caller;
import java.util.Set;
import org.apache.karaf.shell.support.ShellUtil;

/**
 * The caller of a shell command: the Karaf user logged in to the shell, with admin rights
 * over the whole fleet. The shell's command ACL (PID {@code org.apache.karaf.command.acl.weft})
 * decides which Karaf roles may run which command, so the services' own checks let every
 * command that reaches them through.
 */
final class ShellCallers {

    private ShellCallers() {
    }

    /**
     * Returns the caller for the current shell session. Changes are audited with the shell
     * user's name as actor and no remote address.
     *
     * @throws IllegalStateException when the command runs outside a logged-in shell session
     */
    static Caller current() {
        String user = ShellUtil.getCurrentUserName();
        if (user == null) {
            throw new IllegalStateException("The command runs without a logged-in shell user, so its changes"
                    + " could not be audited; run it in an SSH session of the manager");
        }
        Principal principal = new Principal(Principal.normalizeName(user), Set.of(Grant.fleetWide(Role.ADMIN)));
        return new Caller(principal, null);
    }
}
