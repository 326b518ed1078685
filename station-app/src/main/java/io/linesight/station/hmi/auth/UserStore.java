/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.auth;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HMI's users in {@code <dataDir>/hmi-users.json}: names, roles and salted PIN hashes, never PINs. On first start
 * it creates {@code admin} with the PIN from {@code LINESIGHT_ADMIN_PIN}, or a random one written once to the log.
 */
public final class UserStore {
    private static final Logger log = LoggerFactory.getLogger(UserStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,31}");
    private static final Pattern PIN = Pattern.compile("[0-9]{4,12}");
    private final Path file;
    private final Map<String, User> users = new LinkedHashMap<>();

    private UserStore(Path file) {
        this.file = file;
    }

    /**
     * Opens the users file, creating it with an admin when it does not exist.
     *
     * @param adminPin the first admin's PIN (from the environment), or null for a random one printed to the log
     */
    public static UserStore open(Path dataDir, @Nullable String adminPin) throws IOException {
        UserStore store = new UserStore(dataDir.resolve("hmi-users.json"));
        if (Files.exists(store.file)) {
            List<User> read = JSON.readValue(store.file.toFile(), new TypeReference<List<User>>() { });
            read.forEach(u -> store.users.put(u.name(), u));
        } else {
            String pin = adminPin;
            if (pin == null || pin.isBlank()) {
                pin = PinHasher.randomPin(6);
                log.atWarn().setMessage("HMI users created: admin's one-time PIN is " + pin
                        + "; change it, or set LINESIGHT_ADMIN_PIN before the first start").log();
            }
            store.put("admin", Role.ADMIN, pin);
        }
        return store;
    }

    /** Adds or replaces a user and saves the file. */
    public synchronized void put(String name, Role role, String pin) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name '" + name + "' must be 1..32 of a-z 0-9 _ . - starting with a letter");
        }
        if (!PIN.matcher(pin).matches()) {
            throw new IllegalArgumentException("the PIN of '" + name + "' must be 4..12 digits");
        }
        byte[] salt = PinHasher.newSalt();
        byte[] hash = PinHasher.hash(pin.toCharArray(), salt, PinHasher.ITERATIONS);
        Base64.Encoder b64 = Base64.getEncoder();
        users.put(name, new User(name, role, b64.encodeToString(salt), b64.encodeToString(hash), PinHasher.ITERATIONS));
        save();
    }

    /** The user when the PIN is theirs, else null. */
    public synchronized @Nullable User verify(String name, char[] pin) {
        User u = users.get(name);
        if (u == null) {
            return null;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return PinHasher.matches(pin, b64.decode(u.salt()), u.iterations(), b64.decode(u.hash())) ? u : null;
    }

    public synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    private void save() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(users.values()));
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the folder's permissions protect it
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Path file() {
        return file;
    }
}
