/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

import io.linesight.station.plc.trust.Credentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Remote HMI logins checked against the station's own HMI users ({@code <dataDir>/hmi-users.json}, read at each
 * check so users added at the HMI count at once) and lock-outs ({@link Lockouts}, shared with the station's screen
 * and kept across restarts: {@link Session#MAX_FAILURES} wrong PINs lock a name for {@link Session#LOCKOUT} here and
 * there). Never creates the users file: a station whose HMI never ran has no users and refuses remote logins.
 */
public final class StationCredentials implements Credentials {
    private final Path dataDir;

    public StationCredentials(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public synchronized Check check(String user, char[] pin, Instant now) throws IOException {
        UserStore store = UserStore.openExisting(dataDir);
        if (store == null) {
            return new Check.NoUsers();
        }
        Lockouts lockouts = store.lockouts();
        Instant until = lockouts.lockedUntil(user, now);
        if (until != null) {
            return new Check.Locked(until);
        }
        User u = store.verify(user, pin); // an unknown name costs the same hash
        if (u == null) {
            if (lockouts.failed(user) >= Session.MAX_FAILURES) {
                lockouts.lock(user, now.plus(Session.LOCKOUT));
                return new Check.Wrong(now.plus(Session.LOCKOUT));
            }
            return new Check.Wrong(null);
        }
        lockouts.clear(user);
        return new Check.Ok(u.name(), u.role().name(), u.role().atLeast(Role.ENGINEER));
    }
}
