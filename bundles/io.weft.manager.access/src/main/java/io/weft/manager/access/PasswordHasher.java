package io.weft.manager.access;

import io.weft.manager.access.internal.PhcArgon2;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes and verifies operator passwords with Argon2id (RFC 9106), computed by Bouncy
 * Castle's lightweight {@link Argon2BytesGenerator}.
 *
 * <p>A hash is stored as a PHC string, {@code $argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>},
 * which carries its own parameters. When the parameters below change, old hashes still
 * verify, and {@link #needsRehash} returns true for them, so that the caller stores a new hash
 * after the next successful login.
 *
 * <p>Passwords are normalized to Unicode NFKC before hashing, as NIST SP 800-63B recommends, so
 * the same password typed as composed or decomposed characters verifies. ASCII passwords are unchanged, so their hashes
 * match those of other Argon2id tools. Instances are thread-safe. Each hash needs
 * {@link #MEMORY_KIB} of heap while it runs, so an instance runs at most
 * {@link #MAX_CONCURRENT_HASHES} at a time and the others wait. The manager should use one
 * instance.
 */
public final class PasswordHasher {

    /**
     * Memory per hash in KiB (64 MiB). OWASP's Password Storage Cheat Sheet recommends at least
     * 19 MiB with 2 iterations and parallelism 1. Weft chooses 64 MiB because passwords are
     * checked only at interactive logins, while API clients use tokens. With Bouncy Castle
     * 1.87 on Java 17, one hash took about 150 ms on a virtual AMD EPYC core (best of 6 runs
     * of a loop around Argon2BytesGenerator).
     */
    public static final int MEMORY_KIB = 65_536;
    /** Passes over the memory, the count in OWASP's recommended minimum configuration. */
    public static final int ITERATIONS = 2;
    /**
     * Lanes. Bouncy Castle fills the lanes on the calling thread one after the other, so more
     * lanes would help an attacker's parallel hardware and not the manager.
     */
    public static final int PARALLELISM = 1;
    /** Salt length in bytes (128 bits), which the Argon2 authors call sufficient for all applications. */
    public static final int SALT_BYTES = 16;
    /** Hash length in bytes (256 bits). */
    public static final int HASH_BYTES = 32;
    /** Maximum number of hashes that one instance computes at the same time. */
    public static final int MAX_CONCURRENT_HASHES = 2;

    /**
     * Maximum memory in KiB of a stored hash that {@link #verify} accepts, 4 times
     * {@link #MEMORY_KIB}. The limits keep a corrupt or foreign hash from exhausting the heap
     * or the processor; raise them together with the parameters.
     */
    public static final int MAX_MEMORY_KIB = 4 * MEMORY_KIB;
    /** Maximum iterations of a stored hash that {@link #verify} accepts. */
    public static final int MAX_ITERATIONS = 10;
    /** Maximum parallelism of a stored hash that {@link #verify} accepts. */
    public static final int MAX_PARALLELISM = 8;

    private static final PhcArgon2.Limits LIMITS = new PhcArgon2.Limits(MAX_MEMORY_KIB, MAX_ITERATIONS, MAX_PARALLELISM);

    private final SecureRandom random;
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final Semaphore running = new Semaphore(MAX_CONCURRENT_HASHES, true);

    /** Creates a hasher with the parameters above and salts from {@code random}. */
    public PasswordHasher(SecureRandom random) {
        this(random, MEMORY_KIB, ITERATIONS, PARALLELISM);
    }

    /** Creates a hasher with other parameters, for tests of old hashes and fast tests. */
    PasswordHasher(SecureRandom random, int memoryKib, int iterations, int parallelism) {
        this.random = Objects.requireNonNull(random, "random");
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /**
     * Hashes a password with a new random salt and returns the PHC string to store. The
     * caller checks an operator-chosen password with {@link PasswordPolicy} first.
     *
     * @throws InvalidAccessInputException with field {@code password} when the password
     *                                     contains an unpaired UTF-16 surrogate
     */
    public String hash(char[] password) {
        byte[] encoded = encode(password);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        try {
            byte[] hash = compute(encoded, salt, memoryKib, iterations, parallelism, HASH_BYTES);
            return new PhcArgon2(memoryKib, iterations, parallelism, salt, hash).encode();
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /**
     * Returns true when the password matches the stored hash. The comparison takes the same
     * time wherever the hashes differ.
     *
     * @throws MalformedPasswordHashException when {@code stored} is not an Argon2id PHC string
     *                                        within the limits above
     */
    public boolean verify(char[] password, String stored) {
        PhcArgon2 expected = PhcArgon2.parse(stored, LIMITS);
        byte[] encoded;
        try {
            encoded = encode(password);
        } catch (InvalidAccessInputException e) {
            // No stored password contains an unpaired surrogate, because hash() rejects them.
            return false;
        }
        try {
            byte[] actual = compute(encoded, expected.salt(), expected.memoryKib(), expected.iterations(),
                    expected.parallelism(), expected.hash().length);
            return MessageDigest.isEqual(actual, expected.hash());
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /**
     * Computes a hash with the current parameters and returns false. A login for an unknown
     * user name calls it, so that it takes as long as a login with a wrong password and the
     * response time does not reveal which user names exist.
     */
    public boolean verifyUnknownAccount(char[] password) {
        try {
            hash(password);
        } catch (InvalidAccessInputException e) {
            // verify() returns false for such a password too.
        }
        return false;
    }

    /**
     * Returns true when the stored hash was made with other parameters, salt length or hash
     * length than this hasher uses. The caller then stores {@link #hash} of the password that
     * just verified.
     *
     * @throws MalformedPasswordHashException when {@code stored} is not an Argon2id PHC string
     *                                        within the limits above
     */
    public boolean needsRehash(String stored) {
        PhcArgon2 parsed = PhcArgon2.parse(stored, LIMITS);
        return parsed.memoryKib() != memoryKib
                || parsed.iterations() != iterations
                || parsed.parallelism() != parallelism
                || parsed.salt().length != SALT_BYTES
                || parsed.hash().length != HASH_BYTES;
    }

    private byte[] compute(byte[] password, byte[] salt, int memory, int passes, int lanes, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(passes)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        byte[] hash = new byte[length];
        running.acquireUninterruptibly();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(parameters);
            generator.generateBytes(password, hash);
            return hash;
        } finally {
            running.release();
            parameters.clear();
        }
    }

    /** Returns the UTF-8 bytes of the NFKC form of the password. */
    private static byte[] encode(char[] password) {
        Objects.requireNonNull(password, "password");
        // NOTE: the normalized form is an immutable String, so it stays on the heap until
        // garbage collection, unlike the byte array that hash() and verify() clear.
        String normalized = Normalizer.normalize(CharBuffer.wrap(password), Normalizer.Form.NFKC);
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(normalized));
            byte[] encoded = new byte[bytes.remaining()];
            bytes.get(encoded);
            Arrays.fill(bytes.array(), (byte) 0);
            return encoded;
        } catch (CharacterCodingException e) {
            throw new InvalidAccessInputException("password", "The password is not valid Unicode: it contains"
                    + " an unpaired UTF-16 surrogate.");
        }
    }
}
