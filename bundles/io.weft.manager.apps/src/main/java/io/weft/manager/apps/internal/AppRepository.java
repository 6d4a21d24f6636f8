package io.weft.manager.apps.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.ws.rs.ClientErrorException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.core.Response;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.access.ApiCaller;
import io.weft.manager.apps.internal.AppDtos.AppDto;
import io.weft.manager.apps.internal.AppDtos.AppVersionDto;
import io.weft.manager.audit.AuditEvent;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.store.AppStore;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.ConflictException;
import io.weft.manager.store.StoreTransactions;
import io.weft.manager.store.StoredApp;
import io.weft.pki.OwnerOnlyFiles;

/**
 * The manager's app repository, configured by PID {@value #PID}: validates uploaded bundles,
 * signs each with the repository's app-signing key, keeps the bundle and its signature as
 * {@code <sha256>.jar} and {@code <sha256>.jar.p7s} in the repository folder, and their
 * metadata in the database. Versions are immutable: a name and version is uploaded once.
 *
 * <p>Scope: every caller that may read something lists the apps, because apps belong to no
 * domain. Uploading and deleting need WRITE over the whole fleet.
 */
@Component(service = AppRepository.class, configurationPid = AppRepository.PID)
@Designate(ocd = AppRepository.Config.class)
public class AppRepository {

    static final String PID = "io.weft.manager.apps";
    static final String SIGNATURE_SUFFIX = ".p7s";

    private static final Logger LOG = LoggerFactory.getLogger(AppRepository.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ObjectClassDefinition(name = "Weft app repository",
            description = "Limits and folder of the manager's repository of edge app bundles.")
    public @interface Config {

        @AttributeDefinition(name = "Maximum bundle size (bytes)",
                description = "Largest bundle file, in bytes, that an upload may send. The default is 67108864"
                        + " (64 MiB).", min = "1")
        long maxBundleBytes() default 64L * 1024 * 1024;

        @AttributeDefinition(name = "Maximum uncompressed size (bytes)",
                description = "Largest total size, in bytes, of a bundle's zip entries after decompression, which"
                        + " stops zip bombs. The default is 268435456 (256 MiB).", min = "1")
        long maxUncompressedBytes() default 256L * 1024 * 1024;

        @AttributeDefinition(name = "Maximum zip entries",
                description = "Largest number of zip entries in a bundle.", min = "1")
        int maxBundleEntries() default 10_000;

        @AttributeDefinition(name = "Repository folder",
                description = "Folder of the bundle files and their signatures. Empty means weft/apps in Karaf's"
                        + " data folder (karaf.data).")
        String folder() default "";
    }

    private final AppStore store;
    private final AuditStore audit;
    private final StoreTransactions transactions;
    private final ManagerPki pki;
    private final Path folder;
    private final long maxBundleBytes;
    private final BundleInspector inspector;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public AppRepository(BundleContext context, Config config, @Reference AppStore store,
            @Reference AuditStore audit, @Reference StoreTransactions transactions, @Reference ManagerPki pki) {
        this(folder(context, config), config, store, audit, transactions, pki);
    }

    AppRepository(Path folder, Config config, AppStore store, AuditStore audit, StoreTransactions transactions,
            ManagerPki pki) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.pki = Objects.requireNonNull(pki, "pki");
        this.folder = folder;
        this.maxBundleBytes = requirePositive(config.maxBundleBytes(), "maxBundleBytes");
        this.inspector = new BundleInspector(requirePositive(config.maxUncompressedBytes(), "maxUncompressedBytes"),
                (int) requirePositive(config.maxBundleEntries(), "maxBundleEntries"));
        try {
            OwnerOnlyFiles.createPrivateDirectory(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Creating the app repository folder " + folder + " failed; make it"
                    + " writable by the service user or set another folder in " + PID, e);
        }
        LOG.info("App repository: folder {}, bundles up to {} bytes, {} bytes uncompressed and {} entries", folder,
                maxBundleBytes, config.maxUncompressedBytes(), config.maxBundleEntries());
    }

    /**
     * Reads an upload from the request body, at most the configured maximum.
     *
     * @throws ClientErrorException with status 413 when the body is larger
     */
    byte[] readUpload(InputStream body) {
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBundleBytes + 1));
            if (bytes.length > maxBundleBytes) {
                throw new ClientErrorException("The bundle is larger than " + maxBundleBytes + " bytes, the maximum"
                        + " of " + PID + " maxBundleBytes.", Response.Status.REQUEST_ENTITY_TOO_LARGE);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the uploaded bundle failed", e);
        }
    }

    /**
     * Validates, signs and stores an uploaded bundle.
     *
     * @throws InvalidBundleException when it is not an acceptable bundle
     * @throws ClientErrorException   with status 409 when its name and version exist already
     */
    public AppVersionDto upload(ApiCaller caller, InputStream body) {
        ApiCallers.check(caller, Action.WRITE, AccessTarget.fleet());
        byte[] bundle = readUpload(body);
        BundleInspector.BundleIdentity identity = inspector.inspect(bundle);
        if (store.findApp(identity.symbolicName(), identity.version()).isPresent()) {
            throw duplicate(identity.symbolicName(), identity.version());
        }

        String sha256 = sha256(bundle);
        byte[] signature = pki.signApp(bundle);
        writeFiles(sha256, bundle, signature);
        StoredApp app = new StoredApp(identity.symbolicName(), identity.version(), sha256, bundle.length,
                Base64.getEncoder().encodeToString(signature), caller.getName(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));

        StoredApp stored = insert(caller, app);
        LOG.info("App repository: {} uploaded app {} {} ({} bytes, SHA-256 {})", caller.getName(), stored.name(),
                stored.version(), stored.sizeBytes(), stored.sha256());
        return AppVersionDto.of(stored);
    }

    /** Returns every app with its versions, sorted by name. */
    public List<AppDto> list(ApiCaller caller) {
        ApiCallers.checkReadsAnything(caller);
        Map<String, List<AppVersionDto>> byName = new LinkedHashMap<>();
        for (StoredApp app : store.listApps()) {
            byName.computeIfAbsent(app.name(), name -> new ArrayList<>()).add(AppVersionDto.of(app));
        }
        List<AppDto> apps = new ArrayList<>();
        byName.forEach((name, versions) -> apps.add(new AppDto(name, versions)));
        return apps;
    }

    /** Returns one app with its versions, or 404. */
    public AppDto app(ApiCaller caller, String name) {
        return list(caller).stream().filter(app -> app.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("App '" + name + "' not found; GET /api/v1/apps lists the"
                        + " apps."));
    }

    /** Returns one version, or 404. */
    public AppVersionDto version(ApiCaller caller, String name, String version) {
        ApiCallers.checkReadsAnything(caller);
        return AppVersionDto.of(find(name, version));
    }

    /**
     * Deletes a version that no deployment names, with its files.
     *
     * @throws ClientErrorException with status 409 when a deployment names it
     */
    public void delete(ApiCaller caller, String name, String version) {
        ApiCallers.check(caller, Action.WRITE, AccessTarget.fleet());
        StoredApp before = find(name, version);
        try {
            transactions.inTransaction(() -> {
                store.deleteApp(name, version);
                record(caller, "app.delete", before, null);
                return null;
            });
        } catch (ConflictException e) {
            throw new ClientErrorException(e.getMessage(), Response.Status.CONFLICT, e);
        } catch (io.weft.manager.store.NotFoundException e) {
            throw new NotFoundException(notFound(name, version), e);
        }
        deleteFilesUnlessShared(before.sha256());
        LOG.info("App repository: {} deleted app {} {}", caller.getName(), name, version);
    }

    /** Returns the stored version, or throws 404. */
    StoredApp find(String name, String version) {
        return store.findApp(name, version).orElseThrow(() -> new NotFoundException(notFound(name, version)));
    }

    /**
     * Signs every stored version again with the current app-signing key, after the previous key
     * was revoked. Bundles and digests stay as they are. A version whose file is missing or no
     * longer has its SHA-256 keeps its old signature and is returned, so the operator learns
     * which versions a node now rejects.
     *
     * @return the versions, as {@code name version}, that could not be signed again
     */
    List<String> signAllAgain() {
        List<String> failed = new ArrayList<>();
        for (StoredApp app : store.listApps()) {
            try {
                signAgain(app);
            } catch (IOException | IllegalStateException e) {
                LOG.error("App repository: signing app {} {} again failed, so nodes reject it until it is uploaded"
                        + " as a new version: {}", app.name(), app.version(), e.getMessage());
                failed.add(app.name() + " " + app.version());
            }
        }
        return failed;
    }

    /** Returns the number of stored versions. */
    int versionCount() {
        return store.listApps().size();
    }

    private void signAgain(StoredApp app) throws IOException {
        Path file = folder.resolve(app.sha256() + ".jar");
        byte[] bundle = Files.readAllBytes(file);
        if (!sha256(bundle).equals(app.sha256())) {
            throw new IllegalStateException("the file " + file + " no longer has the SHA-256 " + app.sha256());
        }
        byte[] signature = pki.signApp(bundle);
        OwnerOnlyFiles.write(folder.resolve(app.sha256() + ".jar" + SIGNATURE_SUFFIX), signature);
        store.updateSignature(app.name(), app.version(), Base64.getEncoder().encodeToString(signature));
    }

    /** Returns the bundle file with this SHA-256, if the repository has it. */
    Optional<Path> artifact(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        Path file = folder.resolve(sha256 + ".jar");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private StoredApp insert(ApiCaller caller, StoredApp app) {
        try {
            return transactions.inTransaction(() -> {
                StoredApp stored = store.insertApp(app);
                record(caller, "app.upload", null, stored);
                return stored;
            });
        } catch (ConflictException e) {
            // Another upload of this name and version won the race; its files stay.
            deleteFilesUnlessShared(app.sha256());
            throw duplicate(app.name(), app.version());
        }
    }

    private void record(ApiCaller caller, String action, StoredApp before, StoredApp after) {
        String target = (before != null ? before : after).name() + " " + (before != null ? before : after).version();
        audit.append(new AuditEvent(caller.getName(), caller.remoteAddress(), action, target, auditState(before),
                auditState(after)));
    }

    private static String auditState(StoredApp app) {
        if (app == null) {
            return null;
        }
        ObjectNode state = JSON.createObjectNode();
        state.put("name", app.name());
        state.put("version", app.version());
        state.put("sha256", app.sha256());
        state.put("sizeBytes", app.sizeBytes());
        return state.toString();
    }

    private void writeFiles(String sha256, byte[] bundle, byte[] signature) {
        try {
            OwnerOnlyFiles.write(folder.resolve(sha256 + ".jar"), bundle);
            OwnerOnlyFiles.write(folder.resolve(sha256 + ".jar" + SIGNATURE_SUFFIX), signature);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing the bundle " + sha256 + " to " + folder + " failed", e);
        }
    }

    private void deleteFilesUnlessShared(String sha256) {
        if (store.listApps().stream().anyMatch(app -> app.sha256().equals(sha256))) {
            return;
        }
        try {
            Files.deleteIfExists(folder.resolve(sha256 + ".jar"));
            Files.deleteIfExists(folder.resolve(sha256 + ".jar" + SIGNATURE_SUFFIX));
        } catch (IOException e) {
            LOG.warn("App repository: deleting the files of bundle {} in {} failed, so they stay: {}", sha256,
                    folder, e.getMessage());
        }
    }

    private static ClientErrorException duplicate(String name, String version) {
        return new ClientErrorException("App '" + name + "' version " + version + " exists already. Versions are"
                + " immutable: raise Bundle-Version and upload again.", Response.Status.CONFLICT);
    }

    private static String notFound(String name, String version) {
        return "App '" + name + "' version " + version + " not found; GET /api/v1/apps/" + name
                + " lists its versions.";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    private static long requirePositive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException("Configuration " + PID + " sets " + name + " to " + value
                    + "; set a positive number");
        }
        return value;
    }

    private static Path folder(BundleContext context, Config config) {
        if (!config.folder().isBlank()) {
            return Path.of(config.folder().strip());
        }
        String data = Objects.requireNonNull(context.getProperty("karaf.data"),
                "The framework property karaf.data is not set; start the manager through Karaf's scripts");
        return Path.of(data, "weft", "apps");
    }
}
