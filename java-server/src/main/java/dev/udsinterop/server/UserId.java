// SPDX-License-Identifier: Apache-2.0
// UserId: the numeric Unix user id of a JDK user principal, such as the peer that SO_PEERCRED names.
package dev.udsinterop.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/**
 * The JDK names a socket's peer ({@code SO_PEERCRED}) by a {@link UserPrincipal} and gives no
 * method for its number. Going through the name is wrong: a user may be named with digits
 * ("1000" with uid 1234), and a lookup by name takes the name first. The JDK's Unix
 * principal compares and hashes by its id, and its {@code hashCode()} is the uid for every
 * real user (as dbus-java relies on too); {@link #check()} confirms that on this Java before
 * the server relies on it, with a principal whose uid is known: the owner of
 * {@code /proc/self}.
 */
final class UserId {
    private UserId() {
    }

    /** Returns the user id of {@code user}, a principal of the JDK's Unix file system provider. */
    static int of(UserPrincipal user) {
        return user.hashCode();
    }

    /**
     * Checks that {@link #of} gives user ids on this Java.
     *
     * @throws ConfigurationException if it does not, naming the option that needs it
     */
    static void check(String option) {
        Path self = Path.of("/proc/self");
        try {
            int uid = (Integer) Files.getAttribute(self, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (of(Files.getOwner(self, LinkOption.NOFOLLOW_LINKS)) == uid) {
                return;
            }
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            // not Linux, or no unix attribute view: cannot be confirmed
        }
        throw new ConfigurationException(option + ": this Java (" + Runtime.version()
                + ") does not tell a peer's user id, so peers cannot be checked");
    }
}
