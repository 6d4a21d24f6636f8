package io.weft.manager.api.internal.command;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.audit.AuditLogService;
import io.weft.manager.audit.AuditVerification;
import io.weft.manager.audit.BrokenLink;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code weft:audit-verify}: checks the hash chain of the audit log, like {@code GET /api/v1/audit/verify}. */
@Service
@Command(scope = "weft", name = "audit-verify",
        description = "Verifies the hash chain of the whole audit log, and optionally that it still contains the entry"
                + " of an anchor published earlier. Fails when the chain is broken.")
public class AuditVerifyCommand implements Action {

    @Reference
    AuditLogService auditLog;

    @Option(name = "--anchor", description = "An anchor <sequence>:<hash> that an earlier verification printed.")
    String anchor;

    @Override
    public Object execute() throws CommandFailedException {
        Caller caller = ShellCallers.current();
        AuditVerification result = ShellErrors.call(() -> auditLog.verify(caller, anchor),
                "Pass the anchor exactly as weft:audit-verify printed it, such as 42:9f2c..., or leave it out.");
        print(result, System.out);
        if (!result.isIntact()) {
            BrokenLink broken = result.firstBroken().orElseThrow();
            throw new CommandFailedException("The audit log is broken at entry " + broken.sequence() + " ("
                    + broken.problem() + "): " + broken.message() + ". Entries up to "
                    + result.lastIntact().sequence() + " are intact; restore the log from a backup.", null);
        }
        return null;
    }

    static void print(AuditVerification result, PrintStream out) {
        out.println("Entries checked: " + result.entriesChecked());
        out.println("Intact:          " + (result.isIntact() ? "yes" : "no"));
        out.println("Anchor:          " + result.lastIntact() + (result.isIntact() ? " (publish it to check later"
                + " runs against it)" : " (last intact entry)"));
    }
}
