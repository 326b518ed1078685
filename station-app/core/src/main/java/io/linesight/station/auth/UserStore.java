/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The HMI's users in {@code <dataDir>/hmi-users.json}: names, roles and salted PIN hashes, never PINs. On first start
 * it creates {@code admin} with the PIN from {@code LINESIGHT_ADMIN_PIN}, or a random one that the HMI shows once on
 * its screen ({@link #takeFirstAdminPin()}); it is never written to a log or a file. Lock-outs are kept beside it
 * ({@link Lockouts}), so a restart does not reset them.
 *
 * <p>Every change is saved atomically before the method returns. Thread-safe; the HMI calls it on the FX thread.
 */
public final class UserStore {
    /** PINs shorter than this are refused unless the station is configured otherwise. */
    public static final int DEFAULT_MIN_PIN_LENGTH = 6;
    static final int MAX_PIN_LENGTH = 12;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,31}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    /** Hashed for an unknown name, so that "no such user" costs the same time as a wrong PIN. */
    private static final byte[] DUMMY_SALT = PinHasher.newSalt();
    private static final byte[] DUMMY_HASH = PinHasher.hash("000000".toCharArray(), DUMMY_SALT, PinHasher.ITERATIONS);

    private final Path file;
    private final int minPinLength;
    private final Lockouts lockouts;
    private final Map<String, User> users = new LinkedHashMap<>();
    private @Nullable String firstAdminPin;

    private UserStore(Path file, int minPinLength) throws IOException {
        this.file = file;
        this.minPinLength = minPinLength;
        this.lockouts = Lockouts.open(file.resolveSibling("hmi-lockouts.json"));
    }

    /** As {@link #open(Path, String, int)} with the default minimum PIN length. */
    public static UserStore open(Path dataDir, @Nullable String adminPin) throws IOException {
        return open(dataDir, adminPin, DEFAULT_MIN_PIN_LENGTH);
    }

    /**
     * Opens the users file, creating it with an admin when it does not exist.
     *
     * @param adminPin     the first admin's PIN (from the environment), or null for a random one shown once on the
     *                     HMI's screen
     * @param minPinLength the shortest PIN a user may be given, 4..12
     * @throws IllegalArgumentException when {@code adminPin} or {@code minPinLength} is not acceptable (the message
     *                                  names which)
     */
    public static UserStore open(Path dataDir, @Nullable String adminPin, int minPinLength) throws IOException {
        if (minPinLength < 4 || minPinLength > MAX_PIN_LENGTH) {
            throw new IllegalArgumentException("minimum PIN length " + minPinLength + " must be 4.." + MAX_PIN_LENGTH);
        }
        UserStore store = new UserStore(dataDir.resolve("hmi-users.json"), minPinLength);
        if (Files.exists(store.file)) {
            List<User> read = JSON.readValue(store.file.toFile(), new TypeReference<List<User>>() { });
            read.forEach(u -> store.users.put(u.name(), u));
        } else {
            String pin = adminPin;
            if (pin == null || pin.isBlank()) {
                pin = PinHasher.randomPin(Math.max(minPinLength, DEFAULT_MIN_PIN_LENGTH));
                store.firstAdminPin = pin;
            } else if (!store.pinAcceptable(pin)) {
                throw new IllegalArgumentException("LINESIGHT_ADMIN_PIN must be " + minPinLength + ".." + MAX_PIN_LENGTH
                        + " digits");
            }
            store.put("admin", Role.ADMIN, pin);
        }
        return store;
    }

    /**
     * The random PIN given to the first admin when this store created the users file, once: later calls return null.
     * The HMI shows it on its screen; nothing else may print it.
     */
    public synchronized @Nullable String takeFirstAdminPin() {
        String pin = firstAdminPin;
        firstAdminPin = null;
        return pin;
    }

    /**
     * Reads the users file in {@code dataDir} without creating anything: null when there is none yet (no HMI has
     * started at this station). The station reads it for PIN checks of remote HMI logins.
     */
    public static @Nullable UserStore openExisting(Path dataDir) throws IOException {
        Path file = dataDir.resolve("hmi-users.json");
        if (!Files.exists(file)) {
            return null;
        }
        UserStore store = new UserStore(file, DEFAULT_MIN_PIN_LENGTH);
        List<User> read = JSON.readValue(store.file.toFile(), new TypeReference<List<User>>() { });
        read.forEach(u -> store.users.put(u.name(), u));
        return store;
    }

    /** Adds or replaces a user and saves the file (set-up and tests; the HMI uses {@link #add}). */
    public synchronized void put(String name, Role role, String pin) throws IOException {
        checkName(name);
        checkPin(name, pin);
        users.put(name, hashed(name, role, pin));
        save();
    }

    /** Adds a new user. */
    public synchronized void add(String name, Role role, String pin) throws IOException {
        checkName(name);
        if (users.containsKey(name)) {
            throw new IllegalArgumentException("user '" + name + "' exists already");
        }
        checkPin(name, pin);
        users.put(name, hashed(name, role, pin));
        save();
    }

    /** Removes a user; the last admin cannot be removed (nobody could manage users any more). */
    public synchronized void remove(String name) throws IOException {
        User u = existing(name);
        if (u.role() == Role.ADMIN && admins() == 1) {
            throw new IllegalArgumentException("'" + name + "' is the last admin and cannot be removed");
        }
        users.remove(name);
        lockouts.clear(name);
        save();
    }

    /** Gives a user another role; the last admin keeps theirs. */
    public synchronized void setRole(String name, Role role) throws IOException {
        User u = existing(name);
        if (u.role() == Role.ADMIN && role != Role.ADMIN && admins() == 1) {
            throw new IllegalArgumentException("'" + name + "' is the last admin and stays admin");
        }
        users.put(name, new User(u.name(), role, u.salt(), u.hash(), u.iterations()));
        save();
    }

    /** Sets a new PIN (an admin resetting it) and lifts the user's lock-out. */
    public synchronized void resetPin(String name, String pin) throws IOException {
        User u = existing(name);
        checkPin(name, pin);
        users.put(name, hashed(name, u.role(), pin));
        lockouts.clear(name);
        save();
    }

    /** A user changes their own PIN, proving the old one. Returns false (and changes nothing) when it is wrong. */
    public synchronized boolean changeOwnPin(String name, char[] oldPin, String newPin) throws IOException {
        checkPin(name, newPin);
        if (verify(name, oldPin) == null) {
            return false;
        }
        resetPin(name, newPin);
        return true;
    }

    /**
     * The user when the PIN is theirs, else null. An unknown name costs the same hashing as a wrong PIN, so timing
     * does not tell which names exist.
     */
    public synchronized @Nullable User verify(String name, char[] pin) {
        User u = users.get(name);
        if (u == null) {
            PinHasher.matches(pin, DUMMY_SALT, PinHasher.ITERATIONS, DUMMY_HASH);
            return null;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return PinHasher.matches(pin, b64.decode(u.salt()), u.iterations(), b64.decode(u.hash())) ? u : null;
    }

    public synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    public synchronized @Nullable User user(String name) {
        return users.get(name);
    }

    public int minPinLength() {
        return minPinLength;
    }

    /** Failed logins and lock-outs, kept across restarts. */
    public Lockouts lockouts() {
        return lockouts;
    }

    private boolean pinAcceptable(String pin) {
        return DIGITS.matcher(pin).matches() && pin.length() >= minPinLength && pin.length() <= MAX_PIN_LENGTH;
    }

    /** Throws IllegalArgumentException, naming the rule, when {@code pin} cannot be {@code name}'s PIN. */
    public void checkPin(String name, String pin) {
        if (!pinAcceptable(pin)) {
            throw new IllegalArgumentException("the PIN of '" + name + "' must be " + minPinLength + ".."
                    + MAX_PIN_LENGTH + " digits");
        }
    }

    /** Throws IllegalArgumentException, naming the rule, when {@code name} cannot be a user name. */
    public static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name '" + name + "' must be 1..32 of a-z 0-9 _ . - starting with a letter");
        }
    }

    private User existing(String name) {
        User u = users.get(name);
        if (u == null) {
            throw new IllegalArgumentException("no user '" + name + "'");
        }
        return u;
    }

    /** Whether {@code name} is the only admin (who must stay one). */
    public synchronized boolean lastAdmin(String name) {
        User u = users.get(name);
        return u != null && u.role() == Role.ADMIN && admins() == 1;
    }

    private long admins() {
        return users.values().stream().filter(u -> u.role() == Role.ADMIN).count();
    }

    private static User hashed(String name, Role role, String pin) {
        byte[] salt = PinHasher.newSalt();
        byte[] hash = PinHasher.hash(pin.toCharArray(), salt, PinHasher.ITERATIONS);
        Base64.Encoder b64 = Base64.getEncoder();
        return new User(name, role, b64.encodeToString(salt), b64.encodeToString(hash), PinHasher.ITERATIONS);
    }

    private void save() throws IOException {
        writePrivately(file, JSON.writeValueAsString(users.values()));
    }

    /** Writes {@code text} to a temporary file readable by the owner only, then moves it over {@code target}. */
    static void writePrivately(Path target, String text) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the folder's permissions protect it
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Path file() {
        return file;
    }
}
