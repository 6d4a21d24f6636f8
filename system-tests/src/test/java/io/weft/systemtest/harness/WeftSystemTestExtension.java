package io.weft.systemtest.harness;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects {@link WeftInstallations} into test and lifecycle methods and attaches the logs of
 * every installation to a failed test.
 *
 * <p>An injected {@code WeftInstallations} belongs to the scope of the method that received
 * it: the test class for {@code @BeforeAll}, otherwise the test. JUnit closes it when that
 * scope ends, which stops and deletes its installations. Logs are collected in
 * {@code afterEach}, before that happens.
 */
public final class WeftSystemTestExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            WeftSystemTestExtension.class);
    private static final String KEY = "installations";

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == WeftInstallations.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return ownInstallations(extensionContext);
    }

    /** Attaches diagnostics of the test's own installations and of those of its enclosing classes. */
    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        for (WeftInstallations installations : installationsInScope(context)) {
            installations.all().forEach(installation -> Diagnostics.attach(installation, testId(context)));
        }
    }

    /** Attaches diagnostics when a class-level method such as {@code @BeforeAll} failed. */
    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        Optional.ofNullable(context.getStore(NAMESPACE).get(KEY, WeftInstallations.class))
                .ifPresent(installations -> installations.all()
                        .forEach(installation -> Diagnostics.attach(installation, testId(context))));
    }

    /** Returns the instance stored in this very context, creating it when absent. */
    private static WeftInstallations ownInstallations(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        // Store.get also searches enclosing contexts, so compare against the parent's value.
        WeftInstallations inherited = context.getParent()
                .map(parent -> parent.getStore(NAMESPACE).get(KEY, WeftInstallations.class))
                .orElse(null);
        WeftInstallations found = store.get(KEY, WeftInstallations.class);
        if (found != null && found != inherited) {
            return found;
        }
        WeftInstallations created = new WeftInstallations();
        store.put(KEY, created);
        return created;
    }

    private static Set<WeftInstallations> installationsInScope(ExtensionContext context) {
        Set<WeftInstallations> found = Collections.newSetFromMap(new IdentityHashMap<>());
        Optional<ExtensionContext> current = Optional.of(context);
        while (current.isPresent()) {
            WeftInstallations installations = current.get().getStore(NAMESPACE).get(KEY, WeftInstallations.class);
            if (installations != null) {
                found.add(installations);
            }
            current = current.get().getParent();
        }
        return found;
    }

    private static String testId(ExtensionContext context) {
        String className = context.getRequiredTestClass().getSimpleName();
        return context.getTestMethod()
                .map(method -> className + "/" + method.getName())
                .orElse(className);
    }
}
