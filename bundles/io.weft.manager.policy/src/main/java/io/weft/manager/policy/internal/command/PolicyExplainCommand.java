package io.weft.manager.policy.internal.command;

import io.weft.manager.policy.internal.FlowRequest;
import io.weft.manager.policy.internal.PolicyDtos.ExplanationDto;
import io.weft.manager.policy.internal.PolicyService;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code weft:policy-explain}: decides one flow with the stored policy, like {@code POST /api/v1/policies/explain}. */
@Service
@Command(scope = "weft", name = "policy-explain",
        description = "Decides one flow with the stored policy and names the rule that decided it, for example"
                + " weft:policy-explain --service echo --port 7601 ea.a.acme.example eb.b.acme.example. Options come"
                + " before the node names.")
public class PolicyExplainCommand implements Action {

    @Reference
    PolicyService policies;

    @Argument(index = 0, name = "source", required = true,
            description = "The full name of the calling node, or with --client the identity of an API client.")
    String source;

    @Argument(index = 1, name = "destination", required = true, description = "The full name of the destination node.")
    String destination;

    @Option(name = "--client", description = "Treats the source as an API client's identity instead of a node.")
    boolean client;

    @Option(name = "--service", description = "The service that the destination exposes; needs --port.")
    String service;

    @Option(name = "--protocol", description = "tcp (the default) or udp.")
    String protocol;

    @Option(name = "--port", description = "The service's port, from 1 to 65535.")
    Integer port;

    @Option(name = "--operation", description = "An app operation written app/operation, instead of a service.")
    String operation;

    @Override
    public Object execute() throws CommandFailedException {
        FlowRequest flow = new FlowRequest(
                client ? new FlowRequest.Source(null, source) : new FlowRequest.Source(source, null),
                new FlowRequest.Destination(destination, service, protocol, port, operation));
        ExplanationDto explanation;
        try {
            explanation = policies.explain(ShellCaller.current(), flow);
        } catch (RuntimeException e) {
            if (CommandFailedException.isRejection(e)) {
                throw CommandFailedException.of(e, "Name nodes by full name as weft:nodes lists them, and a service"
                        + " with --service and --port or an app operation with --operation.");
            }
            throw e;
        }
        print(explanation, System.out);
        return null;
    }

    static void print(ExplanationDto explanation, PrintStream out) {
        out.println("Flow:     " + explanation.flow());
        out.println("Decision: " + explanation.decision().action());
        out.println("Rule:     " + (explanation.decision().rule() == null ? "none (default deny)"
                : explanation.decision().rule().id() + " in " + explanation.decision().rule().domain()));
        out.println("Reason:   " + explanation.decision().reason());
        out.println("Policy:   version " + explanation.policyVersion());
    }
}
