package io.weft.manager.apps.internal.command;

import java.util.Set;

import org.apache.karaf.shell.support.ShellUtil;

import io.weft.manager.access.ApiCaller;
import io.weft.manager.access.Grant;
import io.weft.manager.access.Principal;
import io.weft.manager.access.Role;

/**
 * The Karaf user logged in to the shell, with admin rights over the whole fleet. The shell's
 * command ACL (PID {@code org.apache.karaf.command.acl.weft}) decides which Karaf roles may run
 * which command. Changes are audited with the shell user's name as actor and no remote address.
 */
record ShellCaller(Principal principal) implements ApiCaller {

    /**
     * Returns the caller for the current shell session.
     *
     * @throws IllegalStateException when the command runs outside a logged-in shell session
     */
    static ShellCaller current() {
        String user = ShellUtil.getCurrentUserName();
        if (user == null) {
            throw new IllegalStateException("The command runs without a logged-in shell user; run it in an SSH"
                    + " session of the manager");
        }
        return new ShellCaller(new Principal(Principal.normalizeName(user), Set.of(Grant.fleetWide(Role.ADMIN))));
    }

    @Override
    public String remoteAddress() {
        return null;
    }

    @Override
    public String getName() {
        return principal.name();
    }
}
