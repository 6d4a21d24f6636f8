package io.weft.node.edge.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.app.api.EdgeClient;
import io.weft.app.api.OperationException;
import io.weft.app.api.OperationResult;
import io.weft.fleet.NodeFullName;
import io.weft.node.agent.api.Identity;
import io.weft.node.agent.api.NodeState;
import io.weft.node.mesh.api.BuiltInTarget;
import io.weft.pki.TlsContexts;
import io.weft.pki.TrustVerifier;
import io.weft.policy.AppOperation;
import io.weft.policy.InvalidPolicyException;

/**
 * The {@link EdgeClient} that apps use: sends each call to this node's own Edge API over TLS
 * with the node's certificate, so the call takes the same path, checks and forwarding as a
 * call from outside, with this node as the caller.
 */
@Component(service = EdgeClient.class)
public class EdgeClientComponent implements EdgeClient {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeClientComponent.class);
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json",
            "Accept", "application/json");

    private final NodeState nodeState;
    private final BuiltInTarget edgeApi;
    private final Clock clock = Clock.systemUTC();
    private volatile NodeTls nodeTls;

    @Activate
    public EdgeClientComponent(@Reference NodeState nodeState,
            @Reference(target = "(component.name=io.weft.node.edge.internal.EdgeApiComponent)") BuiltInTarget edgeApi) {
        this.nodeState = nodeState;
        this.edgeApi = edgeApi;
    }

    @Override
    public OperationResult call(String app, String operation, Object body, Duration timeout)
            throws OperationException {
        AppOperation target = operation(app, operation);
        Identity identity = nodeState.identity().orElseThrow(() -> new OperationException(503, "not_enrolled",
                "The node has not enrolled yet, so it cannot call " + target + ".", null));
        InetSocketAddress address = edgeApi.address().orElseThrow(() -> new OperationException(503,
                "not_listening", "The node's Edge API is not listening yet, so it cannot call " + target + ".", null));
        byte[] json = body == null ? new byte[0] : Json.write(body);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        NodeFullName self = NodeFullName.parse(identity.fullName());
        try (SSLSocket socket = RemoteEdgeApi.connect(address, self, tls(identity), timeoutMillis)) {
            send(socket, target, self, json);
            try (RelayedResponse response = RelayedResponse.read(socket)) {
                return result(target, response.status(), response.body().readAllBytes());
            }
        } catch (RemoteEdgeApi.NotSentException e) {
            throw new OperationException(503, "unavailable", "Calling " + target + " through this node's Edge API"
                    + " failed before sending: " + e.getMessage(), null);
        } catch (SocketTimeoutException e) {
            throw new OperationException(504, "timeout", "The result of " + target + " did not arrive within "
                    + timeout.toMillis() + " ms.", null);
        } catch (IOException e) {
            LOG.warn("Edge client: calling {} failed after sending it: {}", target, e.toString());
            throw new OperationException(502, "call_failed", "Calling " + target + " failed after sending it, so it"
                    + " may have run: " + e.getMessage(), null);
        }
    }

    private static AppOperation operation(String app, String operation) {
        try {
            return new AppOperation(app, operation);
        } catch (InvalidPolicyException e) {
            throw new IllegalArgumentException("Invalid app or operation name '" + app + "/" + operation + "': "
                    + e.getMessage(), e);
        }
    }

    private static void send(SSLSocket socket, AppOperation target, NodeFullName self, byte[] json)
            throws IOException {
        String path = CallPath.PREFIX + target.app() + "/ops/" + target.operation();
        OutputStream out = socket.getOutputStream();
        out.write(CallForwarder.requestHead("POST", path, self, HEADERS, null, json.length)
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(json);
        out.flush();
    }

    /** Returns the result of a 2xx response, or throws the error of any other as the app's exception. */
    private static OperationResult result(AppOperation target, int status, byte[] body) throws OperationException,
            IOException {
        if (status >= 200 && status <= 299) {
            return status == 204 ? OperationResult.noContent() : OperationResult.of(status, Json.parse(body));
        }
        Object parsed = body.length == 0 ? null : Json.parse(body);
        if (parsed instanceof Map<?, ?> error && error.get("error") instanceof String code
                && error.get("message") instanceof String message && status >= 400 && status <= 599) {
            Object field = error.get("field");
            throw new OperationException(status, code, message, field instanceof String text ? text : null);
        }
        throw new OperationException(502, "invalid_response", "The Edge API returned status "
                + status + " without an error body for " + target + ".", null);
    }

    /** Returns the TLS context of the node's current certificate, made once per identity. */
    private SSLContext tls(Identity identity) {
        NodeTls current = nodeTls;
        if (current == null || current.identity() != identity) {
            TrustVerifier trust = new TrustVerifier(identity.rootCertificate(),
                    () -> nodeState.appliedState().revokedSerials(), clock);
            SSLContext context = TlsContexts.sslContext(TlsContexts.keyManager(identity.privateKey(),
                    identity.certificateChain()), TlsContexts.trustManager(trust), new SecureRandom());
            current = new NodeTls(identity, context);
            nodeTls = current;
        }
        return current.context();
    }

    private record NodeTls(Identity identity, SSLContext context) {
    }
}
