package io.weft.manager.policy.internal.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.manager.policy.internal.PolicyService;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code weft:policies}: the rules of the fleet's policy, like {@code GET /api/v1/policies/rules}. */
@Service
@Command(scope = "weft", name = "policies",
        description = "Lists the rules of the fleet's policy in document order, which is the order in which they are"
                + " decided. Without a rule that allows it, a flow is denied.")
public class PoliciesCommand implements Action {

    @Reference
    PolicyService policies;

    @Option(name = "--no-format", description = "Prints the table without borders and padding, for scripts.")
    boolean noFormat;

    @Override
    public Object execute() throws CommandFailedException {
        PolicyService.Versioned<List<JsonNode>> rules;
        try {
            rules = policies.rules(ShellCaller.current());
        } catch (RuntimeException e) {
            if (CommandFailedException.isRejection(e)) {
                throw CommandFailedException.of(e, "Check the policy with GET /api/v1/policies.");
            }
            throw e;
        }
        print(rules.body(), !noFormat, System.out);
        if (!noFormat) {
            System.out.println("Policy version " + rules.version());
        }
        return null;
    }

    static void print(List<JsonNode> rules, boolean format, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("No rules, so every flow is denied; add one with"
                + " POST /api/v1/policies/rules");
        table.column("Id");
        table.column("Domain");
        table.column("Action");
        table.column("Source");
        table.column("Destination");
        table.column("Description");
        for (JsonNode rule : rules) {
            table.addRow().addContent(rule.path("id").asText(), rule.path("domain").asText(),
                    rule.path("action").asText(), text(rule.path("source")), text(rule.path("destination")),
                    rule.path("description").asText(""));
        }
        table.print(out, format);
    }

    /** Returns a text field as is and any other JSON value in its compact JSON form. */
    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.isMissingNode() ? "" : value.toString();
    }
}
