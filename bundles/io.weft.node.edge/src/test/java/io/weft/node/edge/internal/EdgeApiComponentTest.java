package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.node.agent.api.Identity;

class EdgeApiComponentTest {

    @TempDir
    Path folder;

    @Test
    void takenPortIsRetried() throws IOException, InterruptedException {
        EdgePki pki = new EdgePki(folder);
        EdgePki.NodeCertificate node = pki.node("n1");
        Identity identity = new Identity("n1-id", "n1." + EdgePki.DOMAIN, node.keys().getPrivate(), node.chain(),
                pki.ca.rootCertificate());
        ServerSocket occupant = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = occupant.getLocalPort();
        EdgeApiComponent component = new EdgeApiComponent(new OperationRegistry(), noLocations(), config(port));
        try {
            component.identityChanged(identity);
            TimeUnit.MILLISECONDS.sleep(EdgeApiComponent.BIND_RETRY_MILLIS / 2);
            occupant.close();

            assertThat(awaitListening(port, 3 * EdgeApiComponent.BIND_RETRY_MILLIS))
                    .as("the Edge API listens on port %d after the port was freed", port).isTrue();
        } finally {
            occupant.close();
            component.deactivate();
        }
        assertThat(listens(port)).as("port %d after deactivation", port).isFalse();
    }

    private static AppLocationsComponent noLocations() {
        return new AppLocationsComponent((AppLocationsComponent.Config) Proxy.newProxyInstance(
                AppLocationsComponent.Config.class.getClassLoader(), new Class<?>[] {AppLocationsComponent.Config.class},
                (proxy, method, arguments) -> method.getName().equals("annotationType")
                        ? AppLocationsComponent.Config.class : method.getDefaultValue()));
    }

    /** Returns the configuration with its defaults, except for the port. */
    private static EdgeApiConfig config(int port) {
        return (EdgeApiConfig) Proxy.newProxyInstance(EdgeApiConfig.class.getClassLoader(),
                new Class<?>[] {EdgeApiConfig.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "port" -> port;
                    case "annotationType" -> EdgeApiConfig.class;
                    default -> method.getDefaultValue();
                });
    }

    private static boolean awaitListening(int port, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (listens(port)) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return false;
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
